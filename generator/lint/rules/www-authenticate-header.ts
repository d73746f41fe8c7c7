import { wwwAuthenticateMissing } from '../../model/unrouted';
import { requiredHeaderRule } from '../responses';

/**
 * A 401 tells the client how to authenticate: RFC 9110 §15.5.2 requires a `WWW-Authenticate`
 * challenge on every 401 (§11.6.1). Judged once per authored response, like retry-after-header.
 */
export const wwwAuthenticateHeader = requiredHeaderRule('www-authenticate-header', '401', wwwAuthenticateMissing);
