import Handlebars from 'handlebars';
import { join } from 'node:path';

export const VIEWS_DIR = join(process.cwd(), 'views');
export const PUBLIC_DIR = join(process.cwd(), 'public');

/** Partials available to every page, by name. */
export const PARTIALS = {
  header: 'partials/header.hbs',
  flash: 'partials/flash.hbs',
  'form-errors': 'partials/form-errors.hbs',
  'field-error': 'partials/field-error.hbs',
  turnstile: 'partials/turnstile.hbs',
} as const;

/** The Handlebars instance of the pages, with WMA's few helpers. */
export function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('year', () => new Date().getUTCFullYear());
  /** The message for one field from a `[{ field, message }]` list, or nothing. */
  hbs.registerHelper('fieldError', (errors: unknown, field: string) => {
    if (!Array.isArray(errors)) return '';
    const hit = (errors as { field?: string; message?: string }[]).find((e) => e.field === field);
    return hit?.message ?? '';
  });
  return hbs;
}

/** Options for @fastify/view (object form: a string engine name crashes Nest's Fastify adapter). */
export function viewEngineOptions(defaultContext: Record<string, unknown>, production: boolean) {
  return {
    engine: { handlebars: createHandlebars() },
    templates: VIEWS_DIR,
    viewExt: 'hbs',
    layout: 'layouts/main',
    includeViewExtension: true,
    production,
    defaultContext,
    options: { partials: PARTIALS },
  };
}
