import { IRead } from '@rocket.chat/apps-engine/definition/accessors';

/** The server's public URL (Site_Url), the base of every attachment link an app hands out. */
export async function siteUrl(read: IRead): Promise<string> {
    const value = await read.getEnvironmentReader().getServerSettings().getValueById('Site_Url');
    return typeof value === 'string' ? value : '';
}
