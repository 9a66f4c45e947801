// Pretty-prints a JSON response the way people read it: objects indented, arrays of numbers on one line.

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** JSON.stringify with a 2-space indent, but `[1, 2]` and `[[1, 2], [3, 4]]` each kept on one line. */
export function formatJson(value: unknown): string {
  const flat: string[] = [];
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (Array.isArray(v) && v.length && (isNumbers(v) || v.every(isNumbers))) {
        flat.push(JSON.stringify(v).replace(/,/g, ', '));
        return `@@visor-flat-${flat.length - 1}@@`;
      }
      return v;
    },
    2,
  );
  return text.replace(/"@@visor-flat-(\d+)@@"/g, (_m, i: string) => flat[Number(i)]);
}
