import {
  createSubjects,
  streamNames,
  subjects as defaultSubjects,
  type SwitchyardSubjects,
} from '@switchyard/contracts';

/** Where the dead letters of an installation are: its subjects and its stream prefix. */
export interface DeadLetterLocation {
  /** The subject root the installation uses. @defaultValue 'llm' */
  subjectRoot?: string;
  /** The stream prefix the topology was provisioned with. @defaultValue none */
  streamPrefix?: string;
}

/** The subjects and the dead-letter stream name of a location. */
export function resolveDeadLetterLocation(location: DeadLetterLocation): {
  subjects: SwitchyardSubjects;
  stream: string;
} {
  return {
    subjects:
      location.subjectRoot === undefined ? defaultSubjects : createSubjects(location.subjectRoot),
    stream: streamNames(location.streamPrefix).dlq,
  };
}
