import { GlpiClient, glpiFailure } from '../../src/helpdesk/glpi/GlpiClient';
import { samePhone } from '../../src/helpdesk/glpi/glpiRequester';
import { settingProblem } from '../../settings/settingProblems';

describe('samePhone', () => {
    it('compares digits only, one ending with the other', () => {
        expect(samePhone('+55 (11) 99999-0000', '+5511999990000')).toBe(true);
        expect(samePhone('(11) 99999-0000', '5511999990000')).toBe(true);
        expect(samePhone('99999-0000', '+55 11 99999-0000')).toBe(true);
    });

    it('refuses different numbers and too-short tails', () => {
        expect(samePhone('+55 (11) 99999-0001', '+5511999990000')).toBe(false);
        expect(samePhone('0000', '+5511999990000')).toBe(false);
        expect(samePhone('', '+5511999990000')).toBe(false);
        expect(samePhone(undefined, undefined)).toBe(false);
    });
});

describe('GlpiClient.createdId', () => {
    it('reads the id from the body, else from the Location header', () => {
        expect(GlpiClient.createdId({ data: { id: 12, message: '' }, headers: {} })).toBe('12');
        expect(GlpiClient.createdId({ data: undefined, headers: { location: 'https://glpi/apirest.php/Ticket/34' } })).toBe('34');
        expect(GlpiClient.createdId({ data: '', headers: { Location: 'https://glpi/apirest.php/Ticket/56/' } })).toBe('56');
        expect(GlpiClient.createdId({ data: { id: false }, headers: {} })).toBeUndefined();
    });
});

describe('glpiFailure', () => {
    it('is permanent for login, token, rights and refused input, with a hint', () => {
        const login = glpiFailure({ status: 401, code: 'ERROR_GLPI_LOGIN_USER_TOKEN', message: 'parameter user_token seems invalid' }, 'GLPI refused');
        expect(login.permanent).toBe(true);
        expect(login.message).toContain('check glpi_user_token');
        expect(glpiFailure({ status: 403, code: 'ERROR_RIGHT_MISSING', message: 'x' }, 'c').permanent).toBe(true);
        expect(glpiFailure({ status: 400, code: 'ERROR_GLPI_ADD', message: 'Mandatory fields are not filled; view documentation in your browser at http://x/#ERROR_GLPI_ADD' }, 'c').message)
            .toBe('c: ERROR_GLPI_ADD Mandatory fields are not filled');
    });

    it('is transient for server-side and unknown transient codes', () => {
        expect(glpiFailure({ status: 500, code: 'ERROR_SQL', message: 'db' }, 'c').permanent).toBe(false);
        expect(glpiFailure({ status: 401, code: 'ERROR_SESSION_TOKEN_INVALID', message: 'x' }, 'c').permanent).toBe(false);
    });
});

describe('GLPI setting problems', () => {
    it('explains wrong values', () => {
        expect(settingProblem('glpi_url', 'https://glpi.example.com/apirest.php')).toBeUndefined();
        expect(settingProblem('glpi_url', 'https://glpi.example.com/front/central.php')).toContain('apirest.php');
        expect(settingProblem('glpi_entity', 'Cliente A')).toContain('a number');
        expect(settingProblem('glpi_department_categories', 'Vendas = 4\nSuporte = Hardware')).toContain('not a category id');
        expect(settingProblem('glpi_department_categories', 'Vendas = 4')).toBeUndefined();
    });
});
