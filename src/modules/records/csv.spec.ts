import { csvCell, csvRow } from './csv';

describe(csvCell.name, () => {
  it('defuses cells that a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('Plain café')).toBe('Plain café');
    expect(csvCell(null)).toBe('');
    expect(csvCell(7.5)).toBe('7.5');
  });

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 1])).toBe('a,1\r\n');
  });
});
