export * from './Transcript';
export { buildTranscript, toDate } from './buildTranscript';
export { absoluteUrl } from '../lib/absoluteUrl';
export type {
    AttachmentLike,
    BuildOptions,
    DateLike,
    MessageLike,
    PersonLike,
    RoomLike,
    TransferDataLike,
    UnmappedRoomProperties,
} from './buildTranscript';
export { createTimeFormatter } from './formatTime';
export type { TimeFormatter } from './formatTime';
export { describeSystemEntry, getLabels, resolveLocale, SUPPORTED_LOCALES } from './labels';
export type { TranscriptLabels, TranscriptLocale } from './labels';
export { escapeHtml, isSafeHref, renderHtml, renderText } from './render';
