/**
 * The fields of a Rocket.Chat message attachment that point at media. An Apps-Engine
 * IMessageAttachment is assignable to it; `imageType`/`audioType`/`videoType` are not declared by
 * engine 1.42's type, but Rocket.Chat's message converter fills them from `image_type` & co.
 */
export interface MediaAttachment {
    /** Rocket.Chat sets `'file'` on the attachment of an upload. */
    type?: string;
    /** Upload: `{value: "<file name>", link: "/file-upload/<id>/<name>"}`. */
    title?: { value?: string; link?: string };
    imageUrl?: string;
    imageType?: string;
    audioUrl?: string;
    audioType?: string;
    videoUrl?: string;
    videoType?: string;
}
