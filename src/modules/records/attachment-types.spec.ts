import { sniffContentType } from './attachment-types';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7356b8b0000000049454e44ae426082',
  'hex',
);

describe(sniffContentType.name, () => {
  it('recognises a PNG by its content, whatever its name', async () => {
    expect(await sniffContentType(PNG, 'holiday.txt')).toBe('image/png');
  });

  it('recognises a PDF', async () => {
    expect(await sniffContentType(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), 'x.bin')).toBe(
      'application/pdf',
    );
  });

  it('accepts UTF-8 text as plain text, or CSV by name', async () => {
    expect(await sniffContentType(Buffer.from('Notes: café ☕\nline two'), 'notes.txt')).toBe('text/plain');
    expect(await sniffContentType(Buffer.from('a,b\n1,2\n'), 'data.csv')).toBe('text/csv');
  });

  it('refuses HTML disguised as an image, SVG, and binary junk', async () => {
    expect(
      await sniffContentType(Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'), 'cat.png'),
    ).toBeUndefined();
    expect(
      await sniffContentType(
        Buffer.from('  <svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        'logo.png',
      ),
    ).toBeUndefined();
    expect(
      await sniffContentType(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]), 'x.txt'),
    ).toBeUndefined();
  });

  it('refuses a recognised but unlisted type (a ZIP archive, an executable)', async () => {
    expect(await sniffContentType(Buffer.from('504b0304140000000800', 'hex'), 'x.zip')).toBeUndefined();
    expect(
      await sniffContentType(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]), 'x.exe'),
    ).toBeUndefined();
  });
});
