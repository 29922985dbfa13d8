import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { NOTICE_TYPES, type NoticeType } from '../notices/notice.ts';
import { formatterFor } from './formats.ts';

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a channel sends: an email has a subject, text and HTML; a push a title and body; an SMS a body. */
export interface Rendered {
  subject: string | null;
  text: string;
  html: string | null;
}

// One file per type and channel; the subject doubles as the push notification's title.
const FILES = ['subject.hbs', 'email.html.hbs', 'email.txt.hbs', 'sms.hbs', 'push.hbs'] as const;

/**
 * Loads every template once at start (a missing file fails the start, not a delivery). HTML templates
 * escape what they insert; text, SMS and push templates are plain text and insert values as they are.
 */
export function createRenderer(dir: string) {
  const hbs = Handlebars.create();
  const partials = path.join(dir, 'partials');
  for (const file of readdirSync(partials)) {
    hbs.registerPartial(path.basename(file, '.hbs'), readFileSync(path.join(partials, file), 'utf8'));
  }
  // The customer's locale and zone come in with the data (@root), so previews and real mail format alike.
  hbs.registerHelper('money', function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    return formatterFor(options.data.root).money(value);
  });
  hbs.registerHelper('date', function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    return formatterFor(options.data.root).date(value);
  });
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const type of NOTICE_TYPES) {
    for (const file of FILES) {
      const source = readFileSync(path.join(dir, type, file), 'utf8');
      const html = file.endsWith('.html.hbs');
      compiled.set(`${type}/${file}`, hbs.compile(source, { noEscape: !html, strict: true }));
    }
  }
  const run = (type: NoticeType, file: (typeof FILES)[number], data: object) =>
    compiled.get(`${type}/${file}`)!(data).trim();

  return {
    render(type: NoticeType, channel: Channel, data: object): Rendered {
      const subject = run(type, 'subject.hbs', data);
      if (channel === 'email') {
        return {
          subject,
          text: run(type, 'email.txt.hbs', data),
          html: run(type, 'email.html.hbs', { ...data, subject }),
        };
      }
      if (channel === 'push') return { subject, text: run(type, 'push.hbs', data), html: null };
      return { subject: null, text: run(type, 'sms.hbs', data), html: null };
    },
    /** Each type and the files it is made of, for the admin list. */
    list: () =>
      NOTICE_TYPES.map((type) => ({ type, channels: [...CHANNELS], files: FILES.map((f) => `${type}/${f}`) })),
  };
}

export type Renderer = ReturnType<typeof createRenderer>;
