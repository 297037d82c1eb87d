import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { misc, putRecord, readRecord } from '../lib/records';

/** The platform's callback URL, set by `PUT /settings` (RapidPro calls it once when connecting). */
export interface WebhookConfig {
    url: string;
    updatedAt: string;
}

const KEY = [misc('tb-rapidpro-webhook')];

export function readWebhookConfig(reader: IPersistenceRead): Promise<WebhookConfig | undefined> {
    return readRecord<WebhookConfig>(reader, KEY);
}

export async function saveWebhookConfig(persis: IPersistence, url: string): Promise<void> {
    await putRecord(persis, KEY, { url, updatedAt: new Date().toISOString() });
}
