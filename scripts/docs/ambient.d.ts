/**
 * Declarations the code samples need and this repository does not install: the modules a Vercel or Next.js
 * sample imports (with the shape the samples use), and the environment variable they read.
 */
declare module '@vercel/edge-config' {
  export function createClient(connectionString?: string): { get<T = unknown>(key: string): Promise<T | undefined> }
}
declare module 'next/headers' {
  export function headers(): Promise<Headers>
}
declare namespace NodeJS {
  interface ProcessEnv {
    readonly EDGE_CONFIG?: string
  }
}
