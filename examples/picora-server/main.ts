/** `npm run example:server` — the example Picora server on PORT (default 3000), with its demo credentials. */
import { demo, startPicoraServer } from './server';

const server = await startPicoraServer({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  platform: process.env.PICORA_PLATFORM === 'cn' ? 'cn' : 'global',
});
console.log(`Picora example server on ${server.url}`);
console.log(`  curl -H 'Authorization: Bearer ${demo.keys.alice}' ${server.url}/v1/images/${demo.bobImageId}   # 403 FORBIDDEN`);
console.log(`  curl ${server.url}/videos/${demo.videos.suspended}/playlist.m3u8   # 451 BANDWIDTH_SUSPENDED`);
console.log(`  curl -H 'Authorization: Bearer ${demo.keys.alice}' -X POST ${server.url}/v1/videos -F file=@clip.mp4   # 403 PLAN_REQUIRED`);
console.log(`  curl -H 'Authorization: Bearer ${demo.oauth.readToken}' -H 'content-type: application/json' ${server.url}/mcp \\`);
console.log(`       -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_doc","arguments":{"id":"doc_x"}}}'   # 403 OAUTH_SCOPE_INSUFFICIENT`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
