import { plan } from './src/lib/server/demo/handbook';
import { createRandom } from './src/lib/server/demo/prng';
const p = plan(createRandom(2004));
const f = (l: any[]) => ({ items: l.length, pre: l.reduce((s,i)=>s+i.prerequisites.length,0), days: l.reduce((s,i)=>s+i.promisedWorkingDays,0), inst: l.filter(i=>i.promisedWorkingDays===0).length, deps: new Set(l.map(i=>i.departmentCode)).size });
console.log(f(p.before), f(p.after), p.after.slice(0,3));
