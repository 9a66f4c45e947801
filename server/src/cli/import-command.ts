// `visor import`: copies a CompreFace (or Visor) face collection through the public API (work in progress).
export const importCommand = {
  run(): Promise<number> {
    process.stderr.write('visor import: not available yet\n');
    return Promise.resolve(2);
  },
};
