// The redelivery engine's public surface, loaded by redeliver_events on first use (it signs with
// node:crypto, which costs start-up time every session would otherwise pay).
export { redeliverEvents } from "./redeliver.js";
