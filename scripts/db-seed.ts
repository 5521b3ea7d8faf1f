import { fail, loadProjectEnv, validateEnvOrExit } from "./lib";
import { prepareDatabase, printBootstrapReport } from "./prepare-database";

loadProjectEnv(true);
validateEnvOrExit();
prepareDatabase({ bootstrap: true }).then(printBootstrapReport).catch(fail);
