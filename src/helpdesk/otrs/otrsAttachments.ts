import { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { describeError } from '../../lib/redact';

/** OTRS's top-level `Attachment` item (it attaches to the article, on every OTRS version). */
export interface OtrsAttachment {
    Content: string;
    ContentType: string;
    Filename: string;
}

/** All files together stay well under OTRS's MaxLength (100 MB) once base64 grows them by a third. */
const TOTAL_LIMIT_BYTES = 50 * 1024 * 1024;

/**
 * The files uploaded in the room, read from Rocket.Chat and base64-encoded for OTRS. A file over the
 * size limit, past the total budget, or that cannot be read, stays a link in the transcript (the
 * transcript always lists every file), so nothing is lost either way.
 */
export async function collectAttachments(read: IRead, messages: ReadonlyArray<IMessage>, maxKb: number, logger: ILogger): Promise<OtrsAttachment[]> {
    const seen = new Set<string>();
    const attachments: OtrsAttachment[] = [];
    let total = 0;
    for (const message of messages) {
        const file = message.file as { _id?: string; name?: string; type?: string } | undefined;
        if (!file?._id || seen.has(file._id)) continue;
        seen.add(file._id);
        try {
            const upload = await read.getUploadReader().getById(file._id);
            const declared = Number(upload?.size);
            if (!upload || (Number.isFinite(declared) && declared > maxKb * 1024)) continue;
            const buffer = await read.getUploadReader().getBuffer(upload);
            if (buffer.length > maxKb * 1024 || total + buffer.length > TOTAL_LIMIT_BYTES) continue;
            total += buffer.length;
            attachments.push({
                Content: buffer.toString('base64'),
                ContentType: upload.type || file.type || 'application/octet-stream',
                Filename: upload.name || file.name || file._id,
            });
        } catch (error) {
            logger.warn(`file ${file._id} stays a link in the transcript: ${describeError(error)}`);
        }
    }
    return attachments;
}
