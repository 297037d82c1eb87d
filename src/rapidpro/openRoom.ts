import { HttpStatusCode, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom, IVisitor } from '@rocket.chat/apps-engine/definition/livechat';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { apiFailure } from '../lib/ApiFailure';
import { KeyedLock } from '../lib/KeyedLock';
import { describeError } from '../lib/redact';
import { Outbox } from '../delivery/Outbox';
import { closeRoomCallbackFor } from './roomClosed';
import { TicketRecord, TicketStore } from './TicketStore';
import { RoomRequest } from './validation';

const roomLocks = new KeyedLock();

export interface OpenRoomDeps {
    read: IRead;
    modify: IModify;
    persis: IPersistence;
    logger: ILogger;
    outbox: Outbox;
    appId: string;
    appName: string;
}

export interface OpenRoomResult {
    roomId: string;
    created: boolean;
}

/**
 * `GET /room`: opens a Livechat room for a platform ticket. Idempotent per (token, ticketID), so
 * mailroom's retries get the same room; serialised per token, so concurrent duplicates never open
 * two rooms; another ticket while a room is open is refused, whether the app or Rocket.Chat opened it.
 */
export function openRoom(request: RoomRequest, deps: OpenRoomDeps): Promise<OpenRoomResult> {
    return roomLocks.run(request.visitor.token, () => openRoomLocked(request, deps));
}

async function openRoomLocked(request: RoomRequest, deps: OpenRoomDeps): Promise<OpenRoomResult> {
    const { read, modify, persis } = deps;
    const tickets = new TicketStore(read.getPersistenceReader(), persis);
    const token = request.visitor.token;

    const current = await tickets.openByToken(token);
    if (current) {
        const room = (await read.getRoomReader().getById(current.roomId)) as ILivechatRoom | undefined;
        if (room && room.isOpen) {
            if (current.ticketID.toLowerCase() === request.ticketID.toLowerCase()) {
                return { roomId: current.roomId, created: false };
            }
            throw apiFailure(HttpStatusCode.BAD_REQUEST, 'Visitor already has an open room');
        }
        // The room closed while the app missed it: tell the platform, then go on with the new ticket.
        await closeRoomCallbackFor(current, tickets, deps.outbox, { read, persis, modify });
    }

    const departmentId = await resolveDepartment(read, request.visitor.department);
    const visitor = await upsertVisitor(read, modify, request, departmentId);
    const openInRocketChat = await read.getLivechatReader().getLivechatRooms(visitor);
    if (openInRocketChat.some((room) => room.isOpen !== false)) {
        throw apiFailure(HttpStatusCode.BAD_REQUEST, 'Visitor already has an open room');
    }

    const room = await createRoom(modify, visitor, deps);
    await writeCustomFields(modify, deps.logger, token, request.visitor.customFields);

    const ticket: TicketRecord = {
        ticketID: request.ticketID,
        token,
        roomId: room.id,
        state: 'open',
        createdAt: new Date().toISOString(),
        ...(request.visitor.contactUUID ? { contactUUID: request.visitor.contactUUID } : {}),
        ...(request.sessionStart ? { sessionStart: request.sessionStart } : {}),
    };
    await tickets.save(ticket);
    return { roomId: room.id, created: true };
}

async function resolveDepartment(read: IRead, department: string | undefined): Promise<string | undefined> {
    if (!department) {
        return undefined;
    }
    const found = await read.getLivechatReader().getLivechatDepartmentByIdOrName(department);
    if (!found) {
        throw apiFailure(HttpStatusCode.NOT_FOUND, `Could not find a department with name: ${department}`);
    }
    return found.id;
}

/** Rocket.Chat's registerGuest creates the visitor or updates the one that has this token. */
async function upsertVisitor(read: IRead, modify: IModify, request: RoomRequest, departmentId?: string): Promise<IVisitor> {
    const livechat = read.getLivechatReader();
    const input = request.visitor;
    const existing = await livechat.getLivechatVisitorByToken(input.token);
    const name = input.name ?? existing?.name ?? input.phone ?? input.email ?? `Contact ${input.token}`;
    const visitor = {
        token: input.token,
        username: existing?.username ?? `rapidpro-${input.token}`,
        name,
        ...(departmentId ? { department: departmentId } : {}),
        ...(input.email ? { visitorEmails: [{ address: input.email }] } : {}),
        ...(input.phone ? { phone: [{ phoneNumber: input.phone }] } : {}),
    } as IVisitor;
    await modify.getCreator().getLivechatCreator().createVisitor(visitor);
    const saved = await livechat.getLivechatVisitorByToken(input.token);
    if (!saved) {
        throw new Error(`Rocket.Chat did not return the visitor of token ${input.token} after saving it`);
    }
    return saved;
}

async function createRoom(modify: IModify, visitor: IVisitor, deps: OpenRoomDeps): Promise<ILivechatRoom> {
    try {
        // No agent: Rocket.Chat's routing picks one. The source must say "app" (older servers insist).
        return await modify.getCreator().getLivechatCreator().createRoom(visitor, {} as IUser, {
            source: { type: 'app', id: deps.appId, alias: deps.appName } as ILivechatRoom['source'],
        });
    } catch (error) {
        const reason = describeError(error);
        if (/no-agent-online|no online agents/i.test(reason)) {
            throw apiFailure(HttpStatusCode.BAD_REQUEST, "There's no agents online");
        }
        if (/invalid-department|department is invalid/i.test(reason)) {
            throw apiFailure(HttpStatusCode.BAD_REQUEST, 'The department is invalid or has no agents');
        }
        throw apiFailure(HttpStatusCode.BAD_GATEWAY, `Rocket.Chat refused to open the room: ${reason}`);
    }
}

/** Awaited one by one; a field Rocket.Chat refuses is logged and the room still opens. */
async function writeCustomFields(modify: IModify, logger: ILogger, token: string, fields: Record<string, string> | undefined): Promise<void> {
    const updater = modify.getUpdater().getLivechatUpdater();
    for (const [key, value] of Object.entries(fields ?? {})) {
        try {
            const written = await updater.setCustomFields(token, key, value, true);
            if (!written) {
                logger.warn(`custom field "${key}" was not written (does it exist in Omnichannel -> Custom Fields?)`);
            }
        } catch (error) {
            logger.warn(`custom field "${key}" was refused by Rocket.Chat: ${describeError(error)}`);
        }
    }
}
