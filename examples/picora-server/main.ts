/** `npm run example:server` — the example Picora server on PORT (default 3000), with its demo credentials. */
import { demo, startPicoraServer } from './server';

const server = await startPicoraServer({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
console.log(`Picora example server on ${server.url}`);
console.log(`  curl -H 'Authorization: Bearer ${demo.keys.alice}' ${server.url}/v1/images/${demo.bobImageId}   # 403 FORBIDDEN`);
console.log(`  curl ${server.url}/videos/${demo.videos.suspended}/playlist.m3u8   # 451 BANDWIDTH_SUSPENDED`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
