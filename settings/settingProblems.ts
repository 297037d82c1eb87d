import { parseDepartmentMap } from '../src/helpdesk/departmentMap';
import { SettingId } from './SettingId';

const EMAIL = /[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+/;

function isValidTimeZone(zone: string): boolean {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

/**
 * What is wrong with a setting value an admin just saved, in words that say how to fix it; undefined
 * when it looks right. The app logs these when a setting is saved, so a mistake shows up at once
 * instead of as failed deliveries hours later. Secrets are never part of a message.
 */
export function settingProblem(id: string, value: unknown): string | undefined {
    const text = typeof value === 'string' ? value.trim() : '';
    switch (id) {
        case SettingId.OtrsUrl:
            if (!text) return undefined;
            if (!/^https?:\/\/[^\s/]+\/\S+$/i.test(text)) return 'otrs_url must be an http(s) URL';
            if (!/nph-genericinterface\.pl\/Webservice(ID)?\//.test(text)) {
                return 'otrs_url should be the full web service URL, e.g. https://helpdesk/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST';
            }
            return undefined;
        case SettingId.GlpiUrl:
            if (!text) return undefined;
            return /^https?:\/\/\S+\/apirest\.php$/i.test(text) ? undefined : 'glpi_url must be the legacy API URL ending in apirest.php, e.g. https://glpi.example.com/apirest.php';
        case SettingId.GlpiFallbackUser:
        case SettingId.GlpiEntity:
        case SettingId.GlpiRequestType:
            return text && !/^\d+$/.test(text) ? `${id} must be a GLPI id (a number)` : undefined;
        case SettingId.GlpiDepartmentCategories: {
            const map = parseDepartmentMap(typeof value === 'string' ? value : '');
            const notIds = map.entries.filter((e) => !/^\d+$/.test(e.target)).map((e) => `"${e.department}" maps to "${e.target}", not a category id`);
            const problems = [...map.problems, ...notIds];
            return problems.length ? `glpi_department_categories: ${problems.join('; ')}` : undefined;
        }
        case SettingId.WebhookUrl:
            return text && !/^https?:\/\/[^\s/]+/i.test(text) ? 'webhook_url must be an http(s) URL' : undefined;
        case SettingId.OtrsFrom:
            return text && !EMAIL.test(text) ? 'otrs_from must hold an e-mail address, e.g. Livechat <livechat@acme.com.br>: OTRS rejects a bare name' : undefined;
        case SettingId.OtrsCustomerFallback:
            return /\s/.test(text) ? 'otrs_customer_fallback must be a customer login or an e-mail address (no spaces): OTRS rejects "Guest 123"' : undefined;
        case SettingId.OtrsDepartmentQueues: {
            const problems = parseDepartmentMap(typeof value === 'string' ? value : '').problems;
            return problems.length ? `otrs_department_queues: ${problems.join('; ')}` : undefined;
        }
        case SettingId.TranscriptTimezone:
            return text && !isValidTimeZone(text) ? `transcript_timezone "${text}" is not an IANA time zone (e.g. America/Sao_Paulo); UTC is used` : undefined;
        case SettingId.OtrsTitle:
            return typeof value === 'string' && !text ? 'otrs_title is empty: new tickets get the title "Livechat <room id>"' : undefined;
        case SettingId.DeliveryMaxAttempts:
        case SettingId.DeliveryBackoffSeconds: {
            const number = Number(value);
            return value !== '' && value !== null && (!Number.isFinite(number) || number < 1) ? `${id} must be a positive number; the default is used` : undefined;
        }
        default:
            return undefined;
    }
}
