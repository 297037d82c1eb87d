import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { DELIVERY_ADMIN_ROLES, canManageDeliveries } from '../admin/access';
import { apiFailure } from '../lib/ApiFailure';
import { secretMatches, tokenFromAuthorization } from '../lib/secret';
import { EndpointAccess } from './JsonEndpoint';

/**
 * The RapidPro-compatible endpoints: the platform presents the shared secret
 * (`Authorization: Token <secret>`), compared in constant time; refused when the app secret is unset
 * (fail closed) -> 403, missing or wrong -> 401; never echoed.
 */
export const platformSecret: EndpointAccess = (req, settings) => {
    if (!settings.appSecret) {
        throw apiFailure(HttpStatusCode.FORBIDDEN, 'The app secret is not set: configure it in the Ticket Bridge app settings');
    }
    const presented = tokenFromAuthorization(req.headers?.authorization);
    if (presented === undefined) {
        throw apiFailure(HttpStatusCode.UNAUTHORIZED, 'Missing or malformed Authorization header (expected "Token <secret>")');
    }
    if (!secretMatches(presented, settings.appSecret)) {
        throw apiFailure(HttpStatusCode.UNAUTHORIZED, 'Invalid secret');
    }
};

/**
 * The admin endpoints: Rocket.Chat authenticates the caller (`X-User-Id` + `X-Auth-Token`, as for
 * its REST API) because the endpoint sets `authRequired`; then the user's roles must allow it.
 * Without a user this refuses too, should a server ever skip the authentication.
 */
export const deliveryAdmins: EndpointAccess = (req) => {
    if (!req.user) {
        throw apiFailure(HttpStatusCode.UNAUTHORIZED, 'Log in first: send the X-User-Id and X-Auth-Token headers of a Rocket.Chat user');
    }
    if (!canManageDeliveries(req.user)) {
        throw apiFailure(HttpStatusCode.FORBIDDEN, `Only users with the role ${DELIVERY_ADMIN_ROLES.join(' or ')} may do this`);
    }
};
