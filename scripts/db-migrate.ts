import { fail, loadProjectEnv, validateEnvOrExit } from "./lib";
import { prepareDatabase } from "./prepare-database";

loadProjectEnv(true);
validateEnvOrExit();
prepareDatabase({ bootstrap: false }).catch(fail);
