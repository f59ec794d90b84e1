/** Help text generated from the option table. */
import { COMMANDS, OPTIONS } from './options.js';

export function generalHelp(version: string): string {
  const lines = [
    `featscope ${version}: where a trained image classifier puts every test image`,
    '',
    'Usage: featscope <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    '',
    'Run `featscope <command> --help` for its options. Set FEATSCOPE_DEBUG=1 to see stack traces.',
  ];
  return lines.join('\n');
}

export function commandHelp(name: string): string {
  const c = COMMANDS[name];
  const lines = [`featscope ${name}: ${c.summary}`, '', `Usage: ${c.usage}`, '', 'Options:'];
  for (const o of c.options) {
    const spec = OPTIONS[o];
    const flag = `--${o}${'arg' in spec ? ` ${spec.arg}` : ''}`;
    lines.push(`  ${flag.padEnd(28)} ${spec.help}${c.required.includes(o) ? ' (required)' : ''}`);
  }
  return lines.join('\n');
}
