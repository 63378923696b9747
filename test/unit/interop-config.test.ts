// The interoperability settings of src/config.ts: PUBLIC_URL, CDS_ESI_CODES (CDS_CLIENTS_FILE is tested
// with real files in test/api/interop/cds-jwt.test.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_ESI_CODES, loadConfig } from '../../src/config.ts';

describe('PUBLIC_URL', () => {
  it('defaults to http://HOST:PORT, and drops a trailing slash', () => {
    expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://0.0.0.0:8080');
    expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:3000');
    expect(loadConfig({ PUBLIC_URL: 'https://esi.clinic.example/scheduler/' }).publicUrl).toBe('https://esi.clinic.example/scheduler');
  });

  it.each(['esi.clinic.example', 'ftp://esi.example', 'https://esi.example/?x=1', 'https://esi.example/#top'])('refuses %s', (v) => {
    expect(() => loadConfig({ PUBLIC_URL: v })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: v })).toThrow(/PUBLIC_URL/);
  });
});

describe('CDS_ESI_CODES', () => {
  it('defaults to the six ESI CPT codes and reads a comma-separated list', () => {
    expect(loadConfig({}).cdsEsiCodes).toEqual([...DEFAULT_ESI_CODES]);
    expect(loadConfig({ CDS_ESI_CODES: '' }).cdsEsiCodes).toEqual([...DEFAULT_ESI_CODES]);
    expect(loadConfig({ CDS_ESI_CODES: ' 62321 , 64483,64483' }).cdsEsiCodes).toEqual(['62321', '64483']);
  });

  it.each([',', '62321,,64483', '62321;64483', '6'])('refuses %j', (v) => {
    expect(() => loadConfig({ CDS_ESI_CODES: v })).toThrow(/CDS_ESI_CODES/);
  });
});
