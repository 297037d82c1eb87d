/*
 * Livechat behaviour of the stand-in server: the parts of Rocket.Chat's Livechat service that the
 * app relies on, with Rocket.Chat's observable outcomes (error ids and texts, system messages,
 * which events fire). Both the simulator and the app's bridges go through here.
 */
import { meteorId } from './ids';
import { RawMessage, RawRoom, RawUser, RawVisitor, World } from './world';

/** A Meteor.Error look-alike: Rocket.Chat's livechat errors reach apps with these fields. */
export class LivechatError extends Error {
    constructor(public readonly error: string, public readonly reason: string) {
        super(`${reason} [${error}]`);
    }
}

export interface LivechatEvents {
    /** IPostLivechatRoomStarted: Rocket.Chat triggers it once the new room is saved, without waiting for apps. */
    roomStarted(room: RawRoom): void;
    messageSent(message: RawMessage): void;
    roomClosed(room: RawRoom): Promise<void>;
}

export interface VisitorInput {
    token: string;
    name?: string;
    username?: string;
    email?: string;
    phone?: string;
    department?: string;
}

export class Livechat {
    private guestCounter = 0;

    constructor(private readonly world: World, private readonly events: LivechatEvents) {}

    /** Rocket.Chat's registerGuest: creates or updates the visitor of a token (first e-mail and phone only). */
    public registerGuest(input: VisitorInput): RawVisitor {
        const now = new Date();
        const existing = this.world.visitorByToken(input.token);
        const visitor: RawVisitor = existing ?? {
            _id: meteorId(),
            token: input.token,
            username: input.username ?? `guest-${++this.guestCounter}`,
            livechatData: {},
            ts: now,
            _updatedAt: now,
        };
        if (input.name !== undefined) visitor.name = input.name;
        if (input.email) visitor.visitorEmails = [{ address: input.email.toLowerCase() }];
        if (input.phone) visitor.phone = [{ phoneNumber: input.phone }];
        if (input.department) visitor.department = input.department;
        visitor._updatedAt = now;
        this.world.visitors.set(visitor._id, visitor);
        return visitor;
    }

    public isOnline(departmentId?: string): boolean {
        return this.onlineAgents(departmentId).length > 0;
    }

    public onlineAgents(departmentId?: string): RawUser[] {
        return [...this.world.users.values()].filter((user) => user.roles.includes('livechat-agent')
            && user.online
            && (!departmentId || user.departmentIds.includes(departmentId)));
    }

    /**
     * QueueManager.requestRoom: auto-selection routing picks the online agent of the department with
     * the fewest open chats; with nobody online and "accept chats with no agents" off, Rocket.Chat
     * refuses with `no-agent-online`.
     */
    public openRoom(visitor: RawVisitor, options: { departmentId?: string; agent?: RawUser; source?: RawRoom['source'] }): RawRoom {
        const departmentId = options.departmentId ?? visitor.department;
        if (departmentId && !this.world.departments.has(departmentId)) {
            throw new LivechatError('error-invalid-department', 'The department is invalid');
        }
        const agent = options.agent ?? this.pickAgent(departmentId);
        if (!agent && !this.world.settings.Livechat_accept_chats_with_no_agents) {
            throw new LivechatError('no-agent-online', 'Sorry, no online agents');
        }
        const now = new Date();
        const room: RawRoom = {
            _id: meteorId(),
            t: 'l',
            fname: visitor.name ?? visitor.username,
            v: { _id: visitor._id, token: visitor.token, username: visitor.username, status: 'online' },
            departmentId,
            servedBy: agent ? { _id: agent._id, username: agent.username, ts: now } : undefined,
            open: true,
            ts: now,
            _updatedAt: now,
            livechatData: {},
            source: options.source ?? { type: 'widget' },
            msgs: 0,
            transferHistory: [],
        };
        this.world.rooms.set(room._id, room);
        this.world.messagesOf(room._id);
        this.events.roomStarted(room);
        return room;
    }

    private pickAgent(departmentId?: string): RawUser | undefined {
        const candidates = this.onlineAgents(departmentId);
        const openChats = (agent: RawUser) => [...this.world.rooms.values()]
            .filter((room) => room.open && room.servedBy?._id === agent._id).length;
        return candidates.sort((a, b) => openChats(a) - openChats(b))[0];
    }

    /**
     * Livechat.sendMessage as the visitor. Like Rocket.Chat (RocketChat/Rocket.Chat#18123), a message
     * for a room that is closed silently opens a new room for the visitor.
     */
    public sendVisitorMessage(input: { roomId: string; token: string; text: string; attachments?: RawMessage['attachments']; file?: RawMessage['file']; origin: RawMessage['origin'] }): RawMessage {
        const visitor = this.world.visitorByToken(input.token);
        if (!visitor) {
            throw new LivechatError('error-invalid-token', 'Invalid token for livechat message');
        }
        let room = this.world.rooms.get(input.roomId);
        if (!room || !room.open || room.v.token !== input.token) {
            room = this.world.openRoomOfToken(input.token) ?? this.openRoom(visitor, { departmentId: visitor.department });
        }
        return this.postMessage(room, {
            u: { _id: visitor._id, username: visitor.username, name: visitor.name },
            msg: input.text,
            token: input.token,
            attachments: input.attachments,
            file: input.file,
            origin: input.origin,
        });
    }

    /** Saves a message and fires the post-message event, as Rocket.Chat's sendMessage does. */
    public postMessage(room: RawRoom, input: Omit<RawMessage, '_id' | 'rid' | 'ts' | '_updatedAt'>): RawMessage {
        const now = new Date();
        const message: RawMessage = { _id: meteorId(), rid: room._id, ts: now, _updatedAt: now, ...input };
        this.world.addMessage(message);
        room.msgs += 1;
        room._updatedAt = now;
        this.events.messageSent(message);
        return message;
    }

    /**
     * Livechat.closeRoom: false for a room that is not open; otherwise the room closes, the
     * `livechat-close` system message carries the comment (sent through the normal path, so apps see
     * it, as on Rocket.Chat before about 6.12), and IPostLivechatRoomClosed fires.
     */
    public async closeRoom(roomId: string, by: { user?: RawUser; visitor?: RawVisitor; comment?: string; tags?: string[] }): Promise<boolean> {
        const room = this.world.rooms.get(roomId);
        if (!room || !room.open) {
            return false;
        }
        const now = new Date();
        room.open = false;
        room.closedAt = now;
        room._updatedAt = now;
        if (by.tags) room.tags = by.tags;
        if (by.user) {
            room.closer = 'user';
            room.closedBy = { _id: by.user._id, username: by.user.username };
        } else {
            const visitor = by.visitor ?? this.world.visitorByToken(room.v.token);
            room.closer = 'visitor';
            room.closedBy = visitor ? { _id: visitor._id, username: visitor.username } : undefined;
        }
        const sender = by.user
            ? { _id: by.user._id, username: by.user.username, name: by.user.name }
            : { _id: room.v._id, username: room.v.username };
        this.postMessage(room, { u: sender, msg: by.comment ?? '', t: 'livechat-close', origin: 'sim', ...(by.user ? {} : { token: room.v.token }) });
        await this.events.roomClosed(room);
        return true;
    }

    /** Forwards a room to another department or agent, leaving a transfer system message. */
    public transfer(roomId: string, target: { departmentId?: string; agent?: RawUser }, by?: RawUser): boolean {
        const room = this.world.rooms.get(roomId);
        if (!room || !room.open) {
            return false;
        }
        if (target.departmentId && !this.world.departments.has(target.departmentId)) {
            throw new LivechatError('error-invalid-department', 'The department is invalid');
        }
        const from = room.servedBy?.username;
        if (target.departmentId) {
            room.departmentId = target.departmentId;
        }
        const agent = target.agent ?? (target.departmentId ? this.pickAgent(target.departmentId) : undefined);
        if (agent) {
            room.servedBy = { _id: agent._id, username: agent.username, ts: new Date() };
        }
        room.transferHistory.push({ ts: new Date(), from, toDepartment: target.departmentId, toAgent: agent?.username });
        const actor = by ?? this.world.userByUsername('admin')!;
        this.postMessage(room, {
            u: { _id: actor._id, username: actor.username, name: actor.name },
            msg: '',
            t: 'livechat_transfer_history',
            origin: 'sim',
            attachments: undefined,
        });
        return true;
    }
}
