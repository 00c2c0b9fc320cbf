/** What the visitor route files share: the router type, path parameters, and Rocket.Chat's `message` errors. */
import type { RouterContext, RouterInstance } from '@koa/router';
import type Koa from 'koa';
import { AppError } from '../../../domain/errors.js';
import type { RequestState } from '../../state.js';
import { schema } from '../../validate.js';

export type VisitorRouter = RouterInstance<RequestState>;

const PARAMS = {
  token: schema<string>('common.json#/definitions/token'),
  rid: schema<string>('common.json#/definitions/id'),
  _id: schema<string>('common.json#/definitions/id'),
};

/** A path parameter, checked like a body field: a token in the path obeys the same shape as anywhere else. */
export function param(ctx: RouterContext<RequestState>, name: keyof typeof PARAMS): string {
  return PARAMS[name](ctx.params[name], name);
}

/**
 * Rocket.Chat's offline.message and transcript answer failures as `failure({message})`, and the widget shows
 * `error.data.message` (spec §1.0 shape E). Our error body stays shape A, with `message` added.
 */
export const reasonAsMessage: Koa.Middleware = async (_ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new AppError(err.code, err.message, { ...err.details, message: err.message || `[${err.code}]` });
  }
};
