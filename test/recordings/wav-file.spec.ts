import { readWavHeader, wavFile } from '../../src/recordings/wav-file';

describe('wavFile', () => {
  it('writes a PCM 16-bit mono 8 kHz RIFF file of the asked duration', () => {
    const file = wavFile(1_500);
    expect(file.length).toBe(44 + 1.5 * 8000 * 2);
    expect(file.toString('ascii', 0, 4)).toBe('RIFF');
    expect(file.readUInt32LE(4)).toBe(file.length - 8);
    expect(readWavHeader(file)).toEqual({
      format: 1,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 16,
      dataBytes: 24_000,
      durationMs: 1500,
    });
  });

  it('holds a quiet tone, not silence, and a zero-length recording is a valid empty file', () => {
    const samples = wavFile(100).subarray(44);
    const peak = Math.max(
      ...Array.from({ length: samples.length / 2 }, (_, i) => Math.abs(samples.readInt16LE(i * 2))),
    );
    expect(peak).toBeGreaterThan(500);
    expect(peak).toBeLessThan(4_000);
    expect(readWavHeader(wavFile(0))).toMatchObject({ dataBytes: 0, durationMs: 0 });
  });

  it('recognises what is not a WAV file', () => {
    expect(readWavHeader(Buffer.from('not a wav file at all, not at all, not at all, no'))).toBeNull();
    expect(readWavHeader(Buffer.alloc(10))).toBeNull();
  });
});
