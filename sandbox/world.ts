/*
 * The in-memory state of the stand-in Rocket.Chat server, in Rocket.Chat's own raw shapes
 * (the ones stored in MongoDB). Bridges convert them to the Apps-Engine shapes on the way out,
 * as Rocket.Chat's converters do, so the app sees what it would see on a real server.
 */
import { meteorId } from './ids';

export type UserKind = 'user' | 'bot' | 'app';

export interface RawUser {
    _id: string;
    username: string;
    name: string;
    type: UserKind;
    roles: string[];
    /** Presence; livechat routing only picks agents that are online and available. */
    online: boolean;
    departmentIds: string[];
    appId?: string;
    emails: Array<{ address: string; verified: boolean }>;
    createdAt: Date;
    /** Login tokens (Rocket.Chat keeps them hashed in services.resume.loginTokens); `POST /sim/login` adds one. */
    loginTokens: string[];
}

export interface RawVisitor {
    _id: string;
    token: string;
    username: string;
    name?: string;
    visitorEmails?: Array<{ address: string }>;
    phone?: Array<{ phoneNumber: string }>;
    department?: string;
    livechatData: Record<string, string>;
    ts: Date;
    _updatedAt: Date;
}

export interface RawDepartment {
    _id: string;
    name: string;
    enabled: boolean;
    description?: string;
    _updatedAt: Date;
}

export interface RawRoom {
    _id: string;
    t: 'l';
    fname: string;
    v: { _id: string; token: string; username: string; status: string };
    departmentId?: string;
    servedBy?: { _id: string; username: string; ts: Date };
    open: boolean;
    ts: Date;
    _updatedAt: Date;
    closedAt?: Date;
    closer?: 'user' | 'visitor';
    closedBy?: { _id: string; username: string };
    topic?: string;
    tags?: string[];
    livechatData: Record<string, string>;
    source: { type: string; id?: string; alias?: string };
    msgs: number;
    transferHistory: Array<{ ts: Date; from?: string; toDepartment?: string; toAgent?: string }>;
}

export interface RawAttachment {
    [key: string]: unknown;
}

export interface RawMessage {
    _id: string;
    rid: string;
    msg: string;
    ts: Date;
    _updatedAt: Date;
    u: { _id: string; username: string; name?: string };
    /** System message type (e.g. `livechat-close`, `livechat_transfer_history`); absent for chat text. */
    t?: string;
    /** Set on messages a Livechat visitor sent; that is how Rocket.Chat tells them apart. */
    token?: string;
    attachments?: RawAttachment[];
    file?: { _id: string; name: string; type: string };
    /** Which path created it: the simulator, or the app through a bridge. */
    origin: 'sim' | 'app';
}

export interface RawUpload {
    _id: string;
    name: string;
    type: string;
    content: Buffer;
}

export interface CustomFieldDef {
    id: string;
    scope: 'visitor' | 'room';
}

export interface ServerSettings {
    Site_Url: string;
    Livechat_accept_chats_with_no_agents: boolean;
    [id: string]: unknown;
}

export class World {
    public readonly users = new Map<string, RawUser>();
    public readonly visitors = new Map<string, RawVisitor>();
    public readonly departments = new Map<string, RawDepartment>();
    public readonly rooms = new Map<string, RawRoom>();
    public readonly messages = new Map<string, RawMessage[]>();
    public readonly uploads = new Map<string, RawUpload>();
    public readonly customFields = new Map<string, CustomFieldDef>();
    public readonly settings: ServerSettings;

    constructor(siteUrl: string) {
        this.settings = { Site_Url: siteUrl, Livechat_accept_chats_with_no_agents: false };
        this.addUser({ username: 'admin', name: 'Administrator', roles: ['admin', 'user'], online: true });
    }

    public addUser(input: { username: string; name?: string; roles?: string[]; online?: boolean; departmentIds?: string[]; type?: UserKind; appId?: string }): RawUser {
        const user: RawUser = {
            _id: meteorId(),
            username: input.username,
            name: input.name ?? input.username,
            type: input.type ?? 'user',
            roles: input.roles ?? ['user'],
            online: input.online ?? true,
            departmentIds: input.departmentIds ?? [],
            appId: input.appId,
            emails: [],
            createdAt: new Date(),
            loginTokens: [],
        };
        this.users.set(user._id, user);
        return user;
    }

    public userByUsername(username: string): RawUser | undefined {
        for (const user of this.users.values()) {
            if (user.username === username) {
                return user;
            }
        }
        return undefined;
    }

    public visitorByToken(token: string): RawVisitor | undefined {
        for (const visitor of this.visitors.values()) {
            if (visitor.token === token) {
                return visitor;
            }
        }
        return undefined;
    }

    public departmentByIdOrName(value: string): RawDepartment | undefined {
        const byId = this.departments.get(value);
        if (byId) {
            return byId;
        }
        for (const department of this.departments.values()) {
            if (department.name === value) {
                return department;
            }
        }
        return undefined;
    }

    public openRoomOfToken(token: string): RawRoom | undefined {
        for (const room of this.rooms.values()) {
            if (room.open && room.v.token === token) {
                return room;
            }
        }
        return undefined;
    }

    /** Every message by id: the post-message event looks each new message up, so this must not scan. */
    private readonly messageIndex = new Map<string, RawMessage>();

    public addMessage(message: RawMessage): void {
        this.messagesOf(message.rid).push(message);
        this.messageIndex.set(message._id, message);
    }

    public findMessage(messageId: string): RawMessage | undefined {
        return this.messageIndex.get(messageId);
    }

    public messagesOf(roomId: string): RawMessage[] {
        let list = this.messages.get(roomId);
        if (!list) {
            list = [];
            this.messages.set(roomId, list);
        }
        return list;
    }
}
