/*
 * Raw (MongoDB-shaped) records -> the shapes Apps-Engine hands to apps, following Rocket.Chat's
 * converters (apps/meteor/app/apps/server/converters). Fields the converters do not map (a room's
 * `topic` and `tags`, a message's system type `t`) travel in `_unmappedProperties_`, as they do on
 * a real server, so the app must read them from there.
 */
import { RawAttachment, RawDepartment, RawMessage, RawRoom, RawUser, RawVisitor, World } from './world';

type Obj = Record<string, unknown>;

export function toAppUser(user: RawUser): Obj {
    return {
        id: user._id,
        username: user.username,
        name: user.name,
        emails: user.emails,
        type: user.type,
        isEnabled: true,
        active: true,
        roles: [...user.roles],
        status: user.online ? 'online' : 'offline',
        statusConnection: user.online ? 'online' : 'offline',
        utcOffset: 0,
        createdAt: user.createdAt,
        updatedAt: user.createdAt,
        lastLoginAt: user.createdAt,
        appId: user.appId,
        customFields: {},
        settings: { preferences: {} },
    };
}

export function toAppVisitor(visitor: RawVisitor): Obj {
    return {
        id: visitor._id,
        token: visitor.token,
        username: visitor.username,
        name: visitor.name ?? visitor.username,
        department: visitor.department,
        updatedAt: visitor._updatedAt,
        status: 'online',
        visitorEmails: visitor.visitorEmails,
        phone: visitor.phone,
        livechatData: { ...visitor.livechatData },
    };
}

export function toAppDepartment(department: RawDepartment): Obj {
    return {
        id: department._id,
        name: department.name,
        enabled: department.enabled,
        description: department.description,
        updatedAt: department._updatedAt,
        numberOfAgents: 0,
        showOnOfflineForm: false,
        showOnRegistration: true,
    };
}

/** A visitor as a message sender or room creator: Rocket.Chat converts it through the user converter. */
function visitorAsUser(v: { _id: string; username: string; name?: string }): Obj {
    return { id: v._id, username: v.username, name: v.name ?? v.username, type: 'user', roles: [], emails: [], isEnabled: true, active: true };
}

export function toAppRoom(world: World, room: RawRoom): Obj {
    const visitor = world.visitors.get(room.v._id);
    const department = room.departmentId ? world.departments.get(room.departmentId) : undefined;
    const agent = room.servedBy ? world.users.get(room.servedBy._id) : undefined;
    const closedByUser = room.closedBy ? world.users.get(room.closedBy._id) : undefined;
    const unmapped: Obj = { transferHistory: room.transferHistory.map((t) => ({ ...t })) };
    if (room.topic !== undefined) unmapped.topic = room.topic;
    if (room.tags !== undefined) unmapped.tags = [...room.tags];
    return {
        id: room._id,
        displayName: room.fname,
        slugifiedName: room.fname,
        type: room.t,
        creator: visitorAsUser(room.v),
        isDefault: false,
        isReadOnly: false,
        displaySystemMessages: true,
        messageCount: room.msgs,
        createdAt: room.ts,
        updatedAt: room._updatedAt,
        lastModifiedAt: room._updatedAt,
        customFields: {},
        livechatData: { ...room.livechatData },
        visitor: visitor ? toAppVisitor(visitor) : { id: room.v._id, token: room.v.token, username: room.v.username },
        department: department ? toAppDepartment(department) : undefined,
        servedBy: agent ? toAppUser(agent) : undefined,
        isWaitingResponse: false,
        isOpen: room.open,
        closedAt: room.closedAt,
        closer: room.closer,
        ...(room.closedBy ? { closedBy: closedByUser ? toAppUser(closedByUser) : visitorAsUser(room.closedBy) } : {}),
        source: { ...room.source },
        userIds: room.servedBy ? [room.servedBy._id] : [],
        _unmappedProperties_: unmapped,
    };
}

export function toAppAttachment(raw: RawAttachment): Obj {
    const { title, title_link, title_link_download, image_url, image_type, image_size, audio_url, audio_type, audio_size,
        video_url, video_type, video_size, message_link, ts, ...rest } = raw as Obj;
    return {
        ...rest,
        ...(title !== undefined || title_link !== undefined ? { title: { value: title, link: title_link, displayDownloadLink: title_link_download } } : {}),
        ...(image_url !== undefined ? { imageUrl: image_url, imageType: image_type, imageSize: image_size } : {}),
        ...(audio_url !== undefined ? { audioUrl: audio_url, audioType: audio_type, audioSize: audio_size } : {}),
        ...(video_url !== undefined ? { videoUrl: video_url, videoType: video_type, videoSize: video_size } : {}),
        ...(message_link !== undefined ? { timestampLink: message_link } : {}),
        ...(ts !== undefined ? { timestamp: new Date(String(ts)) } : {}),
    };
}

export function toAppMessage(world: World, message: RawMessage): Obj {
    const room = world.rooms.get(message.rid);
    const sender = world.users.get(message.u._id);
    const unmapped: Obj = {};
    if (message.t) unmapped.t = message.t;
    return {
        id: message._id,
        room: room ? toAppRoom(world, room) : undefined,
        sender: sender ? toAppUser(sender) : visitorAsUser(message.u),
        text: message.msg,
        createdAt: message.ts,
        updatedAt: message._updatedAt,
        groupable: true,
        ...(message.token ? { token: message.token } : {}),
        ...(message.file ? { file: { ...message.file } } : {}),
        ...(message.attachments ? { attachments: message.attachments.map(toAppAttachment) } : {}),
        _unmappedProperties_: unmapped,
    };
}

/** App attachment shape -> raw, as Rocket.Chat's converter writes it when an app sends a message. */
export function fromAppAttachment(attachment: Obj): RawAttachment {
    const title = attachment.title as { value?: string; link?: string; displayDownloadLink?: boolean } | undefined;
    const raw: RawAttachment = {
        collapsed: attachment.collapsed, color: attachment.color, text: attachment.text,
        title: title?.value, title_link: title?.link, title_link_download: title?.displayDownloadLink,
        image_url: attachment.imageUrl, image_type: attachment.imageType,
        audio_url: attachment.audioUrl, audio_type: attachment.audioType,
        video_url: attachment.videoUrl, video_type: attachment.videoType,
        message_link: attachment.timestampLink, type: attachment.type, description: attachment.description,
        fields: attachment.fields, actions: attachment.actions,
    };
    for (const key of Object.keys(raw)) {
        if (raw[key] === undefined) delete raw[key];
    }
    return raw;
}
