/**
 * A WAV file (RIFF, PCM 16-bit little-endian, mono) built by hand: the simulated media layer's recordings.
 * 8 kHz, the telephone rate, so a minute is under 1 MB. The sound is a quiet 400 Hz tone rather than
 * silence, so a user who plays a download hears that it worked. 400 Hz is 20 samples a period at 8 kHz:
 * one period is computed and `Buffer.fill` repeats it, so ten minutes take milliseconds, not seconds of
 * a blocked event loop.
 */
export const WAV_SAMPLE_RATE = 8_000;
const BYTES_PER_SAMPLE = 2;
const HEADER_BYTES = 44;
const TONE_HZ = 400;
/** About -26 dBFS: audible, not loud. */
const TONE_AMPLITUDE = 1_600;

export function wavFile(durationMs: number, sampleRate = WAV_SAMPLE_RATE): Buffer {
  const samples = Math.max(0, Math.round((durationMs * sampleRate) / 1000));
  const dataBytes = samples * BYTES_PER_SAMPLE;
  const file = Buffer.alloc(HEADER_BYTES + dataBytes);
  file.write('RIFF', 0, 'ascii');
  file.writeUInt32LE(36 + dataBytes, 4);
  file.write('WAVE', 8, 'ascii');
  file.write('fmt ', 12, 'ascii');
  file.writeUInt32LE(16, 16); // fmt chunk size
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(sampleRate, 24);
  file.writeUInt32LE(sampleRate * BYTES_PER_SAMPLE, 28); // byte rate
  file.writeUInt16LE(BYTES_PER_SAMPLE, 32); // block align
  file.writeUInt16LE(8 * BYTES_PER_SAMPLE, 34); // bits per sample
  file.write('data', 36, 'ascii');
  file.writeUInt32LE(dataBytes, 40);
  if (dataBytes > 0) file.fill(tonePeriod(sampleRate), HEADER_BYTES);
  return file;
}

/** One period of the tone (whole samples when the rate is a multiple of the tone's frequency). */
function tonePeriod(sampleRate: number): Buffer {
  const samples = Math.max(1, Math.round(sampleRate / TONE_HZ));
  const period = Buffer.alloc(samples * BYTES_PER_SAMPLE);
  for (let i = 0; i < samples; i++) {
    const value = Math.round(TONE_AMPLITUDE * Math.sin((2 * Math.PI * i) / samples));
    period.writeInt16LE(value, i * BYTES_PER_SAMPLE);
  }
  return period;
}

export interface WavHeader {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
  durationMs: number;
}

/** Reads back what `wavFile` writes (tests, and a sanity check for files a media layer hands over). */
export function readWavHeader(file: Buffer): WavHeader | null {
  if (file.length < HEADER_BYTES) return null;
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') return null;
  if (file.toString('ascii', 12, 16) !== 'fmt ' || file.toString('ascii', 36, 40) !== 'data') return null;
  const sampleRate = file.readUInt32LE(24);
  const channels = file.readUInt16LE(22);
  const bitsPerSample = file.readUInt16LE(34);
  const dataBytes = file.readUInt32LE(40);
  const bytesPerSecond = (sampleRate * channels * bitsPerSample) / 8;
  return {
    format: file.readUInt16LE(20),
    channels,
    sampleRate,
    bitsPerSample,
    dataBytes,
    durationMs: bytesPerSecond === 0 ? 0 : Math.round((dataBytes / bytesPerSecond) * 1000),
  };
}
