import { AppEntity } from './app.entity';
import { DeploymentEntity } from './deployment.entity';
import { ProcessEntity } from './process.entity';
import { RevisionEntity } from './revision.entity';
import { TaskEntity } from './task.entity';

export const APPS_ENTITIES = [
  AppEntity,
  ProcessEntity,
  RevisionEntity,
  DeploymentEntity,
  TaskEntity,
];
