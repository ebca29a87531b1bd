// tsc emits only the JavaScript: the other files under src/ (pages, styles, SQL) that the server reads
// at run time are copied beside it, so that dist/ runs on its own. Plain JavaScript: it runs where tsx does not.
import { cp } from 'node:fs/promises';

const [from = 'src', to = 'dist'] = process.argv.slice(2);
await cp(from, to, { recursive: true, filter: (source) => !source.endsWith('.ts') });
