import { benchDiagnose } from "./diagnose.mjs";
import { loadEmulatorModule } from "./lib/emulator.mjs";
const m = await loadEmulatorModule();
const r = await benchDiagnose(m, (s) => process.stderr.write(s + "\n"));
console.log(r.markdown);
