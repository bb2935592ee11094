// Tokens in 2.0.1's shape (IdTokenType, IdTokenInfoType) and the domain's: a value with a type, and the decision
// on it. A token's group (1.x parentIdTag) is its groupIdToken.
import type { IdTagInfo } from '../../domain/authorization/decide.js';
import type { V201Request, V201Response } from './handlers.js';

type IdToken = V201Request<'Authorize'>['idToken'];
type IdTokenInfo = V201Response<'Authorize'>['idTokenInfo'];

export function tokenOf(idToken: IdToken): { idTag: string; type: string } {
  return { idTag: idToken.idToken, type: idToken.type };
}

/** The decision as 2.0.1 states it: the expiry is the cache's, the parent is the group (a Central token). */
export function idTokenInfo(info: IdTagInfo): IdTokenInfo {
  return {
    status: info.status,
    ...(info.expiryDate ? { cacheExpiryDateTime: info.expiryDate } : {}),
    ...(info.parentIdTag ? { groupIdToken: { idToken: info.parentIdTag, type: 'Central' } } : {}),
  };
}
