/*
 * The simulator API (`/sim/...`): what people and Rocket.Chat itself do around the app — a visitor
 * starts a chat, agents write, close and transfer, an admin saves settings — plus views into the
 * app's jobs, persistence and logs. JSON in and out; every error is `{"error": ...}`.
 */
import express, { Request } from 'express';
import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { randomBytes } from 'crypto';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { countCall, SandboxContext } from '../context';
import { toAppRoom, toAppUser } from '../converters';
import { EngineHost } from '../engine/host';
import { meteorId } from '../ids';
import { LivechatError } from '../livechat';
import { RawAttachment, RawRoom, RawUser } from '../world';
import { fail, requireString, route } from './errors';

interface SimDeps {
    ctx: SandboxContext;
    host: () => EngineHost;
    restart: () => Promise<void>;
    engineVersion: string;
}

function optionalString(value: unknown, name: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') fail(400, `${name} must be a string`);
    return value;
}

function livechatFailure(error: unknown): never {
    if (error instanceof LivechatError) fail(400, error.message);
    throw error;
}

export function simulatorRouter(deps: SimDeps): express.Router {
    const { ctx } = deps;
    const { world, livechat } = ctx;
    const router = express.Router();
    router.use(express.json({ limit: '1mb' }));

    const roomOr404 = (req: Request): RawRoom => world.rooms.get(req.params.id) ?? fail(404, `no room ${req.params.id}`);
    const userOr404 = (username: string): RawUser => world.userByUsername(username) ?? fail(404, `no user ${username}`);

    router.get('/state', route(() => {
        const host = deps.host();
        return { appId: host.appId, engineVersion: deps.engineVersion, status: host.status(), enabled: AppStatusUtils.isEnabled(host.status()), settings: host.maskedSettings() };
    }));

    router.put('/settings', route(async (req) => {
        if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) fail(400, 'body must be an object of {settingId: value}');
        await deps.host().updateSettings(req.body);
        return { settings: deps.host().maskedSettings() };
    }));

    router.put('/server-settings', route((req) => {
        for (const [id, value] of Object.entries(req.body ?? {})) world.settings[id] = value;
        return { ...world.settings };
    }));

    router.post('/departments', route((req) => {
        const name = requireString(req.body?.name, 'name');
        if (world.departmentByIdOrName(name)) fail(409, `department ${name} exists`);
        const id = meteorId();
        world.departments.set(id, { _id: id, name, enabled: true, _updatedAt: new Date() });
        return { id };
    }));

    router.post('/agents', route((req) => {
        const username = requireString(req.body?.username, 'username');
        if (world.userByUsername(username)) fail(409, `user ${username} exists`);
        const departmentIds: unknown = req.body.departmentIds ?? [];
        if (!Array.isArray(departmentIds) || departmentIds.some((id) => !world.departments.has(id))) fail(400, 'departmentIds must list existing department ids');
        const roles: unknown = req.body.roles ?? ['livechat-agent'];
        if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) fail(400, 'roles must be an array of strings');
        const user = world.addUser({ username, name: optionalString(req.body.name, 'name'), roles: ['user', ...roles], departmentIds, online: req.body.online ?? true });
        return { id: user._id };
    }));

    /** Rocket.Chat's `POST /api/v1/login` in short: a login token for the app's authenticated endpoints. */
    router.post('/login', route((req) => {
        const user = userOr404(requireString(req.body?.username, 'username'));
        if (user.type !== 'user') fail(400, `${user.username} is not a person and cannot log in`);
        const authToken = randomBytes(24).toString('base64url');
        user.loginTokens.push(authToken);
        return { userId: user._id, authToken };
    }));

    router.patch('/agents/:username', route((req) => {
        const user = userOr404(req.params.username);
        if (typeof req.body?.online !== 'boolean') fail(400, 'online must be a boolean');
        user.online = req.body.online;
        return { id: user._id, online: user.online };
    }));

    router.post('/custom-fields', route((req) => {
        const id = requireString(req.body?.id, 'id');
        const scope = req.body.scope;
        if (scope !== 'visitor' && scope !== 'room') fail(400, 'scope must be "visitor" or "room"');
        world.customFields.set(id, { id, scope });
        return { id, scope };
    }));

    router.post('/rooms', route((req) => {
        const visitorInput = req.body?.visitor;
        const token = requireString(visitorInput?.token, 'visitor.token');
        const existing = world.openRoomOfToken(token);
        if (existing) return { roomId: existing._id };
        const departmentId = optionalString(req.body.departmentId, 'departmentId');
        if (departmentId && !world.departments.has(departmentId)) fail(404, `no department ${departmentId}`);
        const agentUsername = optionalString(req.body.agentUsername, 'agentUsername');
        const agent = agentUsername ? userOr404(agentUsername) : undefined;
        const visitor = livechat.registerGuest({
            token,
            name: optionalString(visitorInput.name, 'visitor.name'),
            email: optionalString(visitorInput.email, 'visitor.email'),
            phone: optionalString(visitorInput.phone, 'visitor.phone'),
            department: departmentId,
        });
        try {
            return { roomId: livechat.openRoom(visitor, { departmentId, agent })._id };
        } catch (error) {
            return livechatFailure(error);
        }
    }));

    router.get('/rooms', route((req) => {
        const token = typeof req.query.token === 'string' ? req.query.token : undefined;
        const open = req.query.open === undefined ? undefined : req.query.open === 'true';
        return [...world.rooms.values()]
            .filter((r) => (token === undefined || r.v.token === token) && (open === undefined || r.open === open))
            .map((r) => ({ id: r._id, token: r.v.token, isOpen: r.open, departmentId: r.departmentId, servedBy: r.servedBy?.username, createdAt: r.ts, closedAt: r.closedAt }));
    }));

    router.get('/rooms/:id', route((req) => {
        const room = roomOr404(req);
        return {
            ...toAppRoom(world, room),
            isOpen: room.open,
            topic: room.topic,
            tags: room.tags,
            messages: world.messagesOf(room._id).map((m) => ({
                id: m._id, sender: m.u, text: m.msg, createdAt: m.ts, systemType: m.t, fromVisitor: !!m.token,
                attachments: m.attachments, file: m.file, origin: m.origin,
            })),
        };
    }));

    router.post('/rooms/:id/messages', route((req) => {
        const room = roomOr404(req);
        const body = req.body ?? {};
        const text = optionalString(body.text, 'text') ?? '';
        const uploads = parseUploads(body.attachments);
        if (!text && !uploads.length && body.from !== 'system') fail(400, 'text or attachments are required');
        const attachments = uploads.map((upload) => {
            const id = meteorId();
            world.uploads.set(id, { _id: id, name: upload.name, type: upload.type, content: upload.content });
            return { id, ...upload, raw: uploadAttachment(id, upload.name, upload.type) };
        });
        const file = attachments[0] ? { _id: attachments[0].id, name: attachments[0].name, type: attachments[0].type } : undefined;
        const rawAttachments = attachments.length ? attachments.map((a) => a.raw) : undefined;
        switch (body.from) {
            case 'visitor': {
                if (!room.open) fail(409, 'the room is closed; a visitor message would open a new room');
                const message = livechat.sendVisitorMessage({ roomId: room._id, token: room.v.token, text, attachments: rawAttachments, file, origin: 'sim' });
                return { messageId: message._id };
            }
            case 'agent':
            case 'bot': {
                const username = optionalString(body.username, 'username') ?? (body.from === 'agent' ? room.servedBy?.username : 'bot');
                if (!username) fail(400, 'username is required: the room has no agent');
                const user = world.userByUsername(username) ?? (body.from === 'bot'
                    ? world.addUser({ username, roles: ['bot'], type: 'bot' }) : fail(404, `no user ${username}`));
                const message = livechat.postMessage(room, { u: { _id: user._id, username: user.username, name: user.name }, msg: text, attachments: rawAttachments, file, origin: 'sim' });
                return { messageId: message._id };
            }
            case 'system': {
                const systemType = requireString(body.systemType, 'systemType');
                const user = userOr404(optionalString(body.username, 'username') ?? 'admin');
                const message = livechat.postMessage(room, { u: { _id: user._id, username: user.username, name: user.name }, msg: text, t: systemType, origin: 'sim' });
                return { messageId: message._id };
            }
            default:
                return fail(400, 'from must be "visitor", "agent", "bot" or "system"');
        }
    }));

    router.patch('/rooms/:id', route((req) => {
        const room = roomOr404(req);
        const { topic, tags, livechatData } = req.body ?? {};
        if (topic !== undefined) room.topic = optionalString(topic, 'topic');
        if (tags !== undefined) {
            if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) fail(400, 'tags must be an array of strings');
            room.tags = tags;
        }
        if (livechatData !== undefined) {
            if (typeof livechatData !== 'object' || Array.isArray(livechatData)) fail(400, 'livechatData must be an object');
            room.livechatData = { ...room.livechatData, ...livechatData };
        }
        room._updatedAt = new Date();
        return { id: room._id, topic: room.topic, tags: room.tags, livechatData: room.livechatData };
    }));

    router.post('/rooms/:id/close', route(async (req) => {
        const room = roomOr404(req);
        const { by, username, comment, tags } = req.body ?? {};
        if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))) fail(400, 'tags must be an array of strings');
        let user: RawUser | undefined;
        if (by === 'agent') {
            const name = optionalString(username, 'username') ?? room.servedBy?.username;
            if (!name) fail(400, 'username is required: the room has no agent');
            user = userOr404(name);
        } else if (by !== 'visitor') {
            fail(400, 'by must be "agent" or "visitor"');
        }
        const closed = await livechat.closeRoom(room._id, { user, comment: optionalString(comment, 'comment'), tags });
        if (!closed) fail(409, 'the room is already closed');
        return { roomId: room._id, closed: true };
    }));

    /** Fires IPostLivechatRoomClosed again for a closed room, as an event delivered twice (a retry, a cluster) would. */
    router.post('/rooms/:id/close-event', route(async (req) => {
        const room = roomOr404(req);
        if (room.open) fail(409, 'the room is open: close it first');
        await ctx.fire.roomClosed(room._id);
        return { roomId: room._id, fired: true };
    }));

    router.post('/rooms/:id/transfer', route((req) => {
        const room = roomOr404(req);
        const departmentId = optionalString(req.body?.departmentId, 'departmentId');
        const agentUsername = optionalString(req.body?.agentUsername, 'agentUsername');
        if (!departmentId && !agentUsername) fail(400, 'departmentId or agentUsername is required');
        try {
            if (!livechat.transfer(room._id, { departmentId, agent: agentUsername ? userOr404(agentUsername) : undefined })) fail(409, 'the room is closed');
        } catch (error) {
            livechatFailure(error);
        }
        return { roomId: room._id, departmentId: room.departmentId, servedBy: room.servedBy?.username };
    }));

    router.get('/jobs', route(() => ctx.scheduler.list()));

    router.post('/jobs/run', route(async (req) => {
        const withinMs = req.body?.withinMs ?? 0;
        if (typeof withinMs !== 'number' || withinMs < 0 || !Number.isFinite(withinMs)) fail(400, 'withinMs must be a non-negative number');
        return { ran: await ctx.scheduler.runDue(withinMs) };
    }));

    router.post('/restart', route(async () => {
        await deps.restart();
        return { status: deps.host().status() };
    }));

    router.post('/disable', route(async () => {
        await deps.host().disable();
        return { status: deps.host().status() };
    }));

    router.post('/enable', route(async () => {
        await deps.host().enable();
        return { status: deps.host().status() };
    }));

    router.get('/logs', route(() => ctx.logs));

    router.get('/persistence', route(() => [...ctx.persistence.values()].map((r) => ({ id: r._id, data: r.data, associations: r.associations }))));

    router.get('/bridge-calls', route(() => Object.fromEntries(ctx.bridgeCalls)));
    router.delete('/bridge-calls', route(() => {
        ctx.bridgeCalls.clear();
        return {};
    }));

    router.post('/commands', route(async (req) => {
        const command = requireString(req.body?.command, 'command').replace(/^\//, '');
        const args: unknown = req.body.args ?? [];
        if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) fail(400, 'args must be an array of strings');
        const user = userOr404(requireString(req.body.username, 'username'));
        const roomId = optionalString(req.body.roomId, 'roomId');
        const room = roomId ? world.rooms.get(roomId) ?? fail(404, `no room ${roomId}`) : undefined;
        const entry = deps.host().bridges.commands.commands.get(command);
        if (!entry || !entry.enabled) fail(404, `no command /${command}`);
        const before = ctx.notices.length;
        countCall(ctx, 'command');
        const appRoom = room ? toAppRoom(world, room) : { id: 'GENERAL', type: 'c', displayName: 'general', slugifiedName: 'general' };
        await deps.host().executeCommand(command, args as string[], toAppUser(user) as unknown as IUser, appRoom as unknown as IRoom);
        return { replies: ctx.notices.slice(before).filter((n) => n.userId === user._id).map((n) => n.text) };
    }));

    return router;
}

interface UploadInput {
    type: string;
    name: string;
    content: Buffer;
}

function parseUploads(value: unknown): UploadInput[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) fail(400, 'attachments must be an array');
    return value.map((item, i) => {
        const type = requireString(item?.type, `attachments[${i}].type`);
        const url = optionalString(item?.url, `attachments[${i}].url`) ?? '';
        const title = optionalString(item?.title, `attachments[${i}].title`);
        const name = title ?? (url.split('/').pop() || `file-${i + 1}`);
        return { type, name, content: Buffer.from(`sandbox upload ${name} (${type}) from ${url}`) };
    });
}

/** The attachment Rocket.Chat stores for an upload: a relative file-upload link, typed by media kind. */
function uploadAttachment(fileId: string, name: string, type: string): RawAttachment {
    const link = `/file-upload/${fileId}/${encodeURIComponent(name)}`;
    const attachment: RawAttachment = { title: name, title_link: link, title_link_download: true, type: 'file' };
    if (type.startsWith('image/')) Object.assign(attachment, { image_url: link, image_type: type });
    else if (type.startsWith('audio/')) Object.assign(attachment, { audio_url: link, audio_type: type });
    else if (type.startsWith('video/')) Object.assign(attachment, { video_url: link, video_type: type });
    else attachment.format = type;
    return attachment;
}
