import { Adwin, Ddm, PageHinkley } from './src/stats/detectors/index.js';
import { suddenStream, gradualStream, stationaryStream, carsStreams, run } from './test/stats/detectors/streams.js';
const mk = { adwin: () => new Adwin(), ph: () => new PageHinkley(), ddm: () => new Ddm() };
for (const [n, f] of Object.entries(mk)) {
  for (const g of [suddenStream, gradualStream, stationaryStream]) {
    const rs = [1,2,3,4,5,6,7,8,9,10].map(s => run(f(), g(s)));
    console.log(n, g.name, rs.map(r => `${r.falseAlarms}/${r.delay}`).join(' '));
  }
  const c = carsStreams();
  console.log(n, 'cars real', JSON.stringify(run(f(), c.real)), 'binary', JSON.stringify(run(f(), c.binary)));
}
