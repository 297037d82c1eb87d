import { settingProblem } from '../../settings/settingProblems';

describe('settingProblem', () => {
    it('accepts good values and empty optional ones', () => {
        expect(settingProblem('otrs_url', 'https://helpdesk.acme.com.br/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST')).toBeUndefined();
        expect(settingProblem('otrs_url', '')).toBeUndefined();
        expect(settingProblem('otrs_from', 'Livechat <livechat@acme.com.br>')).toBeUndefined();
        expect(settingProblem('otrs_department_queues', 'Vendas = Sales\n# comment')).toBeUndefined();
        expect(settingProblem('transcript_timezone', 'America/Sao_Paulo')).toBeUndefined();
        expect(settingProblem('delivery_max_attempts', 12)).toBeUndefined();
        expect(settingProblem('app_secret', 'anything')).toBeUndefined();
    });

    it('explains what is wrong and how to fix it', () => {
        expect(settingProblem('otrs_url', 'helpdesk.acme.com.br')).toContain('http(s)');
        expect(settingProblem('otrs_url', 'https://helpdesk.acme.com.br/otrs/index.pl')).toContain('nph-genericinterface.pl');
        expect(settingProblem('otrs_from', 'Rocket.Chat Livechat')).toContain('e-mail address');
        expect(settingProblem('otrs_customer_fallback', 'Guest 123')).toContain('no spaces');
        expect(settingProblem('otrs_department_queues', 'Vendas Sales')).toContain('line 1');
        expect(settingProblem('transcript_timezone', 'Brasil/Sao Paulo')).toContain('IANA');
        expect(settingProblem('delivery_backoff_seconds', -5)).toContain('positive');
    });
});
