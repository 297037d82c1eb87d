import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { RoomBridge } from '@rocket.chat/apps-engine/server/bridges/RoomBridge';
import { countCall, notEmulated, SandboxContext } from '../context';
import { toAppRoom, toAppUser } from '../converters';

/** Room reads for Livechat rooms (the only kind this stand-in server has). */
export class SandboxRoomBridge extends RoomBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async create(): Promise<string> {
        return notEmulated('RoomBridge.create');
    }

    protected async getById(roomId: string): Promise<IRoom> {
        countCall(this.ctx, 'room.getById');
        const room = this.ctx.world.rooms.get(roomId);
        return (room ? toAppRoom(this.ctx.world, room) : undefined) as unknown as IRoom;
    }

    protected async getByName(roomName: string): Promise<IRoom> {
        const room = [...this.ctx.world.rooms.values()].find((r) => r.fname === roomName);
        return (room ? toAppRoom(this.ctx.world, room) : undefined) as unknown as IRoom;
    }

    protected async getCreatorById(): Promise<IUser | undefined> {
        return undefined;
    }

    protected async getCreatorByName(): Promise<IUser | undefined> {
        return undefined;
    }

    protected async getDirectByUsernames(): Promise<IRoom | undefined> {
        return undefined;
    }

    protected async getMembers(roomId: string): Promise<Array<IUser>> {
        const room = this.ctx.world.rooms.get(roomId);
        const agent = room?.servedBy ? this.ctx.world.users.get(room.servedBy._id) : undefined;
        return (agent ? [toAppUser(agent)] : []) as unknown as IUser[];
    }

    /** Agents edit topic and tags in the room info panel; apps may update them too. */
    protected async update(room: IRoom): Promise<void> {
        const raw = this.ctx.world.rooms.get(room.id);
        if (!raw) {
            throw new Error(`sandbox: room ${room.id} does not exist`);
        }
        const unmapped = (room as unknown as { _unmappedProperties_?: { topic?: string; tags?: string[] } })._unmappedProperties_;
        if (unmapped?.topic !== undefined) raw.topic = unmapped.topic;
        if (unmapped?.tags !== undefined) raw.tags = unmapped.tags;
        const livechatData = (room as unknown as { livechatData?: Record<string, string> }).livechatData;
        if (livechatData) raw.livechatData = { ...livechatData };
        raw._updatedAt = new Date();
    }

    protected async createDiscussion(): Promise<string> {
        return notEmulated('RoomBridge.createDiscussion');
    }

    protected async delete(): Promise<void> {
        notEmulated('RoomBridge.delete');
    }

    protected async getModerators(): Promise<Array<IUser>> {
        return [];
    }

    protected async getOwners(): Promise<Array<IUser>> {
        return [];
    }

    protected async getLeaders(): Promise<Array<IUser>> {
        return [];
    }

    /** Not in engine 1.42's bridge; kept so a newer engine's paged reads find it. */
    protected async getMessages(roomId: string): Promise<IMessage[]> {
        return notEmulated(`RoomBridge.getMessages(${roomId}) (engine >= 1.44)`);
    }
}
