import { randomBytes } from 'crypto';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** A Meteor-style 17-character random id, as Rocket.Chat gives rooms, users and messages. */
export function meteorId(): string {
    const bytes = randomBytes(17);
    let id = '';
    for (const byte of bytes) {
        id += ALPHABET[byte % ALPHABET.length];
    }
    return id;
}

/** A 24-hex MongoDB ObjectId-like id, as Agenda gives scheduler jobs. */
export function objectId(): string {
    return randomBytes(12).toString('hex');
}
