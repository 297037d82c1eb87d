import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { readSettings } from '../../settings/AppSettings';
import { misc, putRecord, readRecord } from '../lib/records';
import { describeError } from '../lib/redact';
import { ClosedRoomServices, queueClosedRoom } from './closedRoom';

export const SWEEP_PROCESSOR = 'missed-close-sweep';
/** How often the recurring job asks whether a sweep is due (the sweep itself runs every `sweep_hours`). */
export const SWEEP_CHECK_INTERVAL = '15 minutes';
/** The sweep scheduled when the app is enabled runs this long after, once the server has settled. */
export const SWEEP_AFTER_ENABLE_MS = 30 * 1000;

export interface SweepResult {
    /** Tracked rooms looked at. */
    checked: number;
    /** Rooms found closed whose close had not been handled: their deliveries are now queued. */
    recovered: number;
    /** The first of them (at most 100, so the record stays small). */
    recoveredRooms: string[];
    /** Rooms that no longer exist (deleted): forgotten. */
    gone: number;
    /** Rooms found closed whose deliveries could not be queued: tried again by the next sweep. */
    failed: number;
}

export interface SweepState extends SweepResult {
    at: string;
}

const STATE = [misc('tb-sweep-state')];

export interface SweepJobData {
    /** Set on the job scheduled when the app is enabled: sweep whatever the interval says. */
    reason?: 'enabled';
}

type Accessors = { read: IRead; persis: IPersistence; modify: IModify; http: IHttp; logger: ILogger };

export function lastSweep(read: IRead): Promise<SweepState | undefined> {
    return readRecord<SweepState>(read.getPersistenceReader(), STATE);
}

/**
 * The sweep job: runs a sweep when one is due: `sweep_hours` since the last, or the app was just
 * enabled (each enable is followed by one sweep; enables are rare, and a sweep only reads).
 */
export async function sweepIfDue(data: SweepJobData, services: ClosedRoomServices, acc: Accessors): Promise<SweepState | undefined> {
    const { sweepHours } = await readSettings(acc.read);
    if (sweepHours === 0) {
        return undefined;
    }
    if (data.reason !== 'enabled') {
        const last = await lastSweep(acc.read);
        if (last && Date.now() - Date.parse(last.at) < sweepHours * 3600 * 1000) {
            return undefined;
        }
    }
    return sweepNow(services, acc);
}

/**
 * Looks at every room the app saw open. One that is closed now, yet still tracked, is a close the
 * app missed (it was disabled or being updated, or queueing failed): its deliveries are queued now,
 * exactly as the close event would have.
 */
export async function sweepNow(services: ClosedRoomServices, acc: Accessors): Promise<SweepState> {
    const result: SweepResult = { checked: 0, recovered: 0, recoveredRooms: [], gone: 0, failed: 0 };
    for (const { roomId } of await services.openRooms.tracked(acc.read.getPersistenceReader())) {
        result.checked++;
        const room = (await acc.read.getRoomReader().getById(roomId)) as ILivechatRoom | undefined;
        if (!room) {
            await services.openRooms.forget(roomId, acc.persis);
            result.gone++;
            continue;
        }
        if (room.isOpen) {
            continue;
        }
        const failures = await queueClosedRoom(roomId, services, acc);
        if (failures.length) {
            result.failed++;
            acc.logger.error(`missed-close sweep: room ${roomId} is closed, but its deliveries could not be queued: ${failures.map(describeError).join('; ')}`);
        } else {
            result.recovered++;
            if (result.recoveredRooms.length < 100) result.recoveredRooms.push(roomId);
        }
    }
    const state: SweepState = { ...result, at: new Date().toISOString() };
    await putRecord(acc.persis, STATE, state);
    const message = `missed-close sweep: ${result.checked} tracked room(s) checked, ${result.recovered} missed close(s) queued, ${result.gone} gone, ${result.failed} failed`;
    if (result.recovered || result.failed) acc.logger.warn(message);
    else acc.logger.info(message);
    return state;
}
