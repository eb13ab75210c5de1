import { buildDefinition } from './lib/definition.js';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
const spec = parse(readFileSync(process.argv[2]!, 'utf8'));
const { definition } = buildDefinition('x', spec);
console.log(JSON.stringify(definition, null, 1).slice(0, 3000));
