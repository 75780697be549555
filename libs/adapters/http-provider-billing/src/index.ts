export * from './admin-api.fetcher';
