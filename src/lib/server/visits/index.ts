// Enterprise visits (走访千家民营企业): the visit record (./visits), the problems raised on visits
// and their handling to closure (./problems), and a visit campaign's summary (./summary).
export * from './visits';
export * from './problems';
export * from './summary';
