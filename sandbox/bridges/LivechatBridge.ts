import { IExtraRoomParams } from '@rocket.chat/apps-engine/definition/accessors/ILivechatCreator';
import { IDepartment, ILivechatMessage, ILivechatRoom, ILivechatTransferData, IVisitor } from '@rocket.chat/apps-engine/definition/livechat';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { LivechatBridge } from '@rocket.chat/apps-engine/server/bridges/LivechatBridge';
import { countCall, notEmulated, SandboxContext } from '../context';
import { fromAppAttachment, toAppDepartment, toAppMessage, toAppRoom, toAppVisitor } from '../converters';
import { LivechatError } from '../livechat';
import { RawVisitor } from '../world';

export class SandboxLivechatBridge extends LivechatBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    private visitorOut(visitor: RawVisitor | undefined): IVisitor | undefined {
        return visitor ? (toAppVisitor(visitor) as unknown as IVisitor) : undefined;
    }

    protected isOnline(departmentId?: string): boolean {
        return this.ctx.livechat.isOnline(departmentId);
    }

    protected async isOnlineAsync(departmentId?: string): Promise<boolean> {
        return this.ctx.livechat.isOnline(departmentId);
    }

    /** Rocket.Chat's createMessage: a visitor message needs the visitor's token. */
    protected async createMessage(message: ILivechatMessage, appId: string): Promise<string> {
        countCall(this.ctx, 'livechat.createMessage');
        const token = message.token ?? message.visitor?.token;
        if (!token) {
            throw new Error('Invalid token for livechat message');
        }
        if (!message.room?.id) {
            throw new Error('Invalid room provided on the message.');
        }
        const raw = this.ctx.livechat.sendVisitorMessage({
            roomId: message.room.id,
            token,
            text: message.text ?? '',
            attachments: message.attachments?.map((a) => fromAppAttachment(a as unknown as Record<string, unknown>)),
            origin: 'app',
        });
        this.ctx.log('debug', `app ${appId} posted visitor message ${raw._id} in room ${raw.rid}`);
        return raw._id;
    }

    protected async getMessageById(messageId: string): Promise<ILivechatMessage> {
        const found = this.ctx.world.findMessage(messageId);
        return (found ? toAppMessage(this.ctx.world, found) : undefined) as unknown as ILivechatMessage;
    }

    protected async updateMessage(): Promise<void> {
        notEmulated('LivechatBridge.updateMessage');
    }

    protected async createVisitor(visitor: IVisitor): Promise<string> {
        countCall(this.ctx, 'livechat.createVisitor');
        const raw = this.ctx.livechat.registerGuest({
            token: visitor.token,
            name: visitor.name,
            username: visitor.username,
            email: visitor.visitorEmails?.[0]?.address,
            phone: visitor.phone?.[0]?.phoneNumber,
            department: visitor.department,
        });
        return raw._id;
    }

    protected async findVisitors(): Promise<Array<IVisitor>> {
        return notEmulated('LivechatBridge.findVisitors (deprecated)');
    }

    protected async findVisitorById(id: string): Promise<IVisitor | undefined> {
        return this.visitorOut(this.ctx.world.visitors.get(id));
    }

    protected async findVisitorByEmail(email: string): Promise<IVisitor | undefined> {
        const wanted = email.toLowerCase();
        return this.visitorOut([...this.ctx.world.visitors.values()].find((v) => v.visitorEmails?.some((e) => e.address === wanted)));
    }

    protected async findVisitorByToken(token: string): Promise<IVisitor | undefined> {
        countCall(this.ctx, 'livechat.findVisitorByToken');
        return this.visitorOut(this.ctx.world.visitorByToken(token));
    }

    protected async findVisitorByPhoneNumber(phoneNumber: string): Promise<IVisitor | undefined> {
        return this.visitorOut([...this.ctx.world.visitors.values()].find((v) => v.phone?.some((p) => p.phoneNumber === phoneNumber)));
    }

    protected async transferVisitor(visitor: IVisitor, transferData: ILivechatTransferData): Promise<boolean> {
        const agent = transferData.targetAgent ? this.ctx.world.users.get(transferData.targetAgent.id) : undefined;
        return this.ctx.livechat.transfer(transferData.currentRoom.id, { departmentId: transferData.targetDepartment, agent });
    }

    protected async createRoom(visitor: IVisitor, agent: IUser, appId: string, extraParams?: IExtraRoomParams): Promise<ILivechatRoom> {
        countCall(this.ctx, 'livechat.createRoom');
        const source = (extraParams as { source?: { type?: string } } | undefined)?.source;
        if (source && source.type !== 'app') {
            throw new Error('Invalid source type');
        }
        const raw = this.ctx.world.visitorByToken(visitor.token);
        if (!raw) {
            throw new Error('Invalid visitor');
        }
        const chosenAgent = agent?.id ? this.ctx.world.users.get(agent.id) : undefined;
        const room = this.ctx.livechat.openRoom(raw, {
            departmentId: visitor.department ?? raw.department,
            agent: chosenAgent,
            source: { type: 'app', id: appId, alias: 'Ticket Bridge' },
        });
        return toAppRoom(this.ctx.world, room) as unknown as ILivechatRoom;
    }

    protected async closeRoom(room: ILivechatRoom, comment: string, closer: IUser | undefined): Promise<boolean> {
        countCall(this.ctx, 'livechat.closeRoom');
        const user = closer?.id ? this.ctx.world.users.get(closer.id) : undefined;
        return this.ctx.livechat.closeRoom(room.id, { user, comment });
    }

    protected async countOpenRoomsByAgentId(agentId: string): Promise<number> {
        return (await this.findOpenRoomsByAgentId(agentId)).length;
    }

    protected async findOpenRoomsByAgentId(agentId: string): Promise<Array<ILivechatRoom>> {
        return [...this.ctx.world.rooms.values()].filter((r) => r.open && r.servedBy?._id === agentId)
            .map((r) => toAppRoom(this.ctx.world, r) as unknown as ILivechatRoom);
    }

    /** Open rooms of a visitor (Rocket.Chat queries `open: true` by the visitor's token). */
    protected async findRooms(visitor: IVisitor, departmentId: string | null): Promise<Array<ILivechatRoom>> {
        countCall(this.ctx, 'livechat.findRooms');
        return [...this.ctx.world.rooms.values()]
            .filter((r) => r.open && r.v.token === visitor.token && (!departmentId || r.departmentId === departmentId))
            .map((r) => toAppRoom(this.ctx.world, r) as unknown as ILivechatRoom);
    }

    protected async findDepartmentByIdOrName(value: string): Promise<IDepartment | undefined> {
        countCall(this.ctx, 'livechat.findDepartment');
        const department = this.ctx.world.departmentByIdOrName(value);
        return department ? (toAppDepartment(department) as unknown as IDepartment) : undefined;
    }

    protected async findDepartmentsEnabledWithAgents(): Promise<Array<IDepartment>> {
        return [...this.ctx.world.departments.values()].filter((d) => d.enabled)
            .map((d) => toAppDepartment(d) as unknown as IDepartment);
    }

    protected async _fetchLivechatRoomMessages(appId: string, roomId: string): Promise<Array<IMessage>> {
        countCall(this.ctx, 'livechat.fetchRoomMessages');
        return this.ctx.world.messagesOf(roomId).map((m) => toAppMessage(this.ctx.world, m) as unknown as IMessage);
    }

    /**
     * Livechat.setCustomFields: an unknown field throws `invalid-custom-field`; a visitor-scoped field
     * is written on the visitor, a room-scoped one on the visitor's open room; returns how many
     * records changed.
     */
    protected async setCustomFields(data: { token: string; key: string; value: string; overwrite: boolean }): Promise<number> {
        countCall(this.ctx, 'livechat.setCustomFields');
        const field = this.ctx.world.customFields.get(data.key);
        if (!field) {
            throw new LivechatError('invalid-custom-field', 'Invalid custom field');
        }
        const target = field.scope === 'visitor'
            ? this.ctx.world.visitorByToken(data.token)?.livechatData
            : this.ctx.world.openRoomOfToken(data.token)?.livechatData;
        if (!target || (!data.overwrite && target[data.key] !== undefined)) {
            return 0;
        }
        target[data.key] = data.value;
        return 1;
    }
}
