// forward_events' bounds, in one home: the tool's schema (loaded at start) and the engine (loaded on use) read them.
export const MAX_FORWARD_SECONDS = 300;
export const DEFAULT_FORWARD_SECONDS = 60;
export const MAX_FORWARD_EVENTS = 100;
export const DEFAULT_FORWARD_EVENTS = 10;
