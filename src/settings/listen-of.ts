import { parseListen } from '../api/index.ts';
import type { ListenSetting } from '../api/index.ts';
import { defaultSettings } from './default-settings.ts';
import type { Layered } from './pick-layer.ts';
import { pickLayer } from './pick-layer.ts';

/**
 * Where the API listens: `--listen`, else `CRONPLANE_LISTEN`, else the job file's
 * `server.listen`, else loopback. A bad address is refused naming the layer that gave it.
 */
export function listenOf(options: {
  readonly flag?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fromFile?: string | undefined;
}): Layered<ListenSetting> {
  const picked = pickLayer(
    [
      ['--listen', options.flag],
      ['CRONPLANE_LISTEN', options.env?.['CRONPLANE_LISTEN']],
      ['server.listen', options.fromFile],
    ],
    defaultSettings.listen,
  );
  const label = picked.source === 'default' ? 'the default listen address' : picked.source;
  return { value: parseListen(picked.value, label), source: picked.source };
}
