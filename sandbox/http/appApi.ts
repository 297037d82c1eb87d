/*
 * The app's public endpoints, served the way Rocket.Chat's AppApisBridge serves them:
 * `/api/apps/public/<appId>/<path>` for every method; JSON bodies (100 kB limit) parsed for any
 * method, GET included, when the media type is application/json; header names lower-cased (Node
 * does that); an unknown app or path is a plain 404; an endpoint that answers nothing (a method it
 * does not implement) or throws becomes a plain-text 500, as on a real server.
 */
import express, { Request, Response } from 'express';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import { EngineHost } from '../engine/host';

export function appApiRouter(host: () => EngineHost): express.Router {
    const router = express.Router();
    router.use(express.json({ limit: '100kb' }));
    router.use(express.urlencoded({ extended: true, limit: '100kb' }));
    router.all('/:appId/*', (req: Request, res: Response) => {
        const engine = host();
        const path = (req.params as Record<string, string>)[0];
        if (req.params.appId !== engine.appId || !engine.hasEndpoint(path)) {
            res.sendStatus(404);
            return;
        }
        engine.executeApi(path, {
            method: req.method.toLowerCase() as RequestMethod,
            headers: req.headers as Record<string, string>,
            query: (req.query as Record<string, string>) ?? {},
            params: {},
            content: req.body,
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
