import { Injectable } from '@nestjs/common';
import { ConferencesQueries } from '../conferences/conferences-read-model/conferences.queries';
import { invalid } from '../domain/domain-error';

/**
 * A `join_conference` number must name a live conference of the same tenant. Checked at registration and
 * update (against the conferences read model); a conference that ends later is the join's problem, at
 * call time. An unknown and a foreign conference get the same 422.
 */
@Injectable()
export class ConferenceOfTenant {
  constructor(private readonly conferences: ConferencesQueries) {}

  check(customerId: string, conferenceId: string | null | undefined): void {
    if (conferenceId == null) return;
    const conference = this.conferences.conference(customerId, conferenceId);
    if (conference === null || conference.status === 'terminated' || conference.status === 'terminating')
      throw invalid(
        'number.unknown_conference',
        `conference ${conferenceId} is not a live conference of yours`,
        {
          field: 'conference_id',
        },
      );
  }
}
