import path from 'node:path';
import { migrateCli } from '@emporium/kit';
import { readMigrationConfig } from './config.ts';

// Run explicitly (by the local platform, CI or a deploy job), never implicitly at service start.
await migrateCli(
  'notifications',
  () => readMigrationConfig().databaseUrl,
  path.join(import.meta.dirname, '..', 'migrations'),
);
