// Prisma CLI configuration: the JavaScript schema engine with the pg driver adapter works offline
// (no native engine download). The adapter for the CLI must be @prisma/adapter-pg 7.x, which can read
// PostgreSQL's `name` column type during `migrate deploy`.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from 'pg-adapter-7';

function connectionFields(url: string) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    return new PrismaPg(connectionFields(url));
  },
});
