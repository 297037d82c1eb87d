/*
 * The app's public endpoints, served the way Rocket.Chat's AppApisBridge serves them:
 * `/api/apps/public/<appId>/<path>` for every method; JSON bodies (100 kB limit) parsed for any
 * method, GET included, when the media type is application/json; header names lower-cased (Node
 * does that); an unknown app or path is a plain 404; an endpoint that answers nothing (a method it
 * does not implement) or throws becomes a plain-text 500, as on a real server.
 * Authentication is Rocket.Chat's authenticationMiddleware: `X-User-Id` + `X-Auth-Token` of a
 * logged-in user set the request's user (converted to the app's IUser); an endpoint with
 * `authRequired` answers a plain `401 Unauthorized` without them.
 */
import express, { Request, Response } from 'express';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { toAppUser } from '../converters';
import { EngineHost } from '../engine/host';
import { RawUser, World } from '../world';

/** The user whose login token the request carries, if any (both headers must match). */
function authenticatedUser(world: World, req: Request): RawUser | undefined {
    const userId = req.header('x-user-id');
    const token = req.header('x-auth-token');
    if (!userId || !token) return undefined;
    const user = world.users.get(userId);
    return user?.loginTokens.includes(token) ? user : undefined;
}

export function appApiRouter(host: () => EngineHost, world: World): express.Router {
    const router = express.Router();
    router.use(express.json({ limit: '100kb' }));
    router.use(express.urlencoded({ extended: true, limit: '100kb' }));
    router.all('/:appId/*', (req: Request, res: Response) => {
        const engine = host();
        const path = (req.params as Record<string, string>)[0];
        const endpoint = req.params.appId === engine.appId ? engine.endpoint(path) : undefined;
        if (!endpoint) {
            res.sendStatus(404);
            return;
        }
        const user = authenticatedUser(world, req);
        if (endpoint.authRequired && !user) {
            res.status(401).send('Unauthorized');
            return;
        }
        engine.executeApi(path, {
            method: req.method.toLowerCase() as RequestMethod,
            headers: req.headers as Record<string, string>,
            query: (req.query as Record<string, string>) ?? {},
            params: {},
            content: req.body,
            ...(user ? { user: toAppUser(user) as unknown as IUser } : {}),
        }).then((result) => {
            const { status, headers = {}, content } = result; // undefined result -> TypeError -> 500, like Rocket.Chat
            res.set(headers);
            res.status(status);
            res.send(content);
        }).catch((reason: Error) => {
            res.status(500).send(reason.message);
        });
    });
    return router;
}
