// Generated from openapi/checkin_service.json by `make web-types`; do not edit.

export interface paths {
    "/.well-known/ticket-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Ticket Keys
         * @description The public keys that verify ticket secrets (JWKS, Ed25519), for scanners that work offline.
         */
        get: operations["read_ticket_keys__well_known_ticket_keys_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{booking_id}/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Booking Tickets
         * @description Lists a booking's tickets in seat order, to its owner or an admin.
         */
        get: operations["read_booking_tickets_bookings__booking_id__tickets_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkin-lists/{checkin_list_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Checkin List
         * @description A list with its counts per ticket type (checked in, inside now, total valid) and the double
         *     entries offline scanners made (organizer, admin, door staff).
         */
        get: operations["read_checkin_list_checkin_lists__checkin_list_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkin-lists/{checkin_list_id}/attendees": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Attendees
         * @description The list's tickets and where each stands (checked in when, inside now, double entry): a page of
         *     JSON, or with `format=csv` every row (up to the service's EXPORT_MAX_ROWS) as a CSV download.
         */
        get: operations["read_attendees_checkin_lists__checkin_list_id__attendees_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkin-lists/{checkin_list_id}/scans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Scan
         * @description Scans a ticket's secret at the list (organizer, admin, door staff): the verdict is the answer's
         *     `result`, always 200. The same `nonce` again answers the same verdict and records nothing. With
         *     `{"scans": [...]}` (up to 500, each with its `scanned_at`) an offline scanner uploads what it
         *     scanned: merged in time order; a ticket it let in while already inside is flagged `double_entry`.
         */
        post: operations["create_scan_checkin_lists__checkin_list_id__scans_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/checkin-lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Checkin Lists
         * @description Lists the event's check-in lists, oldest first (organizer, admin, and its door staff, who
         *     pick the one they scan at).
         */
        get: operations["read_checkin_lists_events__event_id__checkin_lists_get"];
        put?: never;
        /**
         * Create Checkin List
         * @description Adds a check-in list to the event (organizer, admin): which ticket types it admits (all when
         *     empty), and whether a ticket may enter more than once, or again after an exit.
         */
        post: operations["create_checkin_list_events__event_id__checkin_lists_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/door-staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Door Staff
         * @description Lists the event's door staff, first granted first (organizer, admin).
         */
        get: operations["read_door_staff_events__event_id__door_staff_get"];
        put?: never;
        /**
         * Create Door Staff
         * @description Lets a user scan tickets at the event's lists (organizer, admin); granting twice is no error.
         */
        post: operations["create_door_staff_events__event_id__door_staff_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/door-staff/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete Door Staff
         * @description Ends a user's door staff role at the event (organizer, admin).
         */
        delete: operations["delete_door_staff_events__event_id__door_staff__user_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/revocations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Revocations
         * @description Tickets of the event revoked after `since`, oldest first, for scanners that work offline
         *     (organizer, admin, door staff).
         */
        get: operations["read_revocations_events__event_id__revocations_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Health
         * @description Alive: the process answers.
         */
        get: operations["read_health_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Readiness
         * @description Ready: every store and the broker this service needs answer. 503 names what is down.
         */
        get: operations["read_readiness_ready_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tickets/{ticket_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Ticket
         * @description Returns one ticket, to its owner or an admin.
         */
        get: operations["read_ticket_tickets__ticket_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update Ticket
         * @description Puts a ticket in another attendee's name, until its event starts; its secret stays the same.
         */
        patch: operations["update_ticket_tickets__ticket_id__patch"];
        trace?: never;
    };
    "/tickets/{ticket_id}/qr.svg": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Ticket Qr
         * @description Draws the ticket's secret as a QR code (SVG), to its owner or an admin.
         */
        get: operations["read_ticket_qr_tickets__ticket_id__qr_svg_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AttendeePage */
        AttendeePage: {
            /** Items */
            items: components["schemas"]["AttendeePublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /**
         * AttendeePublic
         * @example {
         *       "attendee_name": "Ada Lovelace",
         *       "booking_id": "3f2a1c9e-0d4b-4a8e-b1f2-6c7d8e9fa0b1",
         *       "checked_in_at": "2026-12-01T19:02:11Z",
         *       "double_entry": false,
         *       "inside": true,
         *       "status": "valid",
         *       "ticket_id": "0b8f6c1e-7c55-4f4e-9a52-2f0f6d3f1a10",
         *       "ticket_type_id": "665f1c2e9b1d4a00123456aa"
         *     }
         */
        AttendeePublic: {
            /** Attendee Name */
            attendee_name: string;
            /** Booking Id */
            booking_id: string;
            /** Checked In At */
            checked_in_at: string | null;
            /** Double Entry */
            double_entry: boolean;
            /** Inside */
            inside: boolean;
            /** Status */
            status: string;
            /**
             * Ticket Id
             * Format: uuid
             */
            ticket_id: string;
            /** Ticket Type Id */
            ticket_type_id: string;
        };
        /**
         * CheckinListCreate
         * @example {
         *       "allow_multiple_entries": false,
         *       "allow_reentry": true,
         *       "name": "Main entrance",
         *       "ticket_type_ids": []
         *     }
         */
        CheckinListCreate: {
            /**
             * Allow Multiple Entries
             * @description Admit a ticket however often it is scanned
             * @default false
             */
            allow_multiple_entries?: boolean;
            /**
             * Allow Reentry
             * @description Admit again a ticket scanned out (`exit`)
             * @default false
             */
            allow_reentry?: boolean;
            /** Name */
            name: string;
            /**
             * Ticket Type Ids
             * @description Types admitted here; empty: every type
             */
            ticket_type_ids?: string[];
        };
        /** CheckinListPage */
        CheckinListPage: {
            /** Items */
            items: components["schemas"]["CheckinListPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /**
         * CheckinListPublic
         * @example {
         *       "allow_multiple_entries": false,
         *       "allow_reentry": true,
         *       "created_at": "2026-12-01T08:00:00Z",
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "id": "6a1d2f3e-4b5c-4d6e-8f70-8192a3b4c5d6",
         *       "name": "Main entrance",
         *       "ticket_type_ids": []
         *     }
         */
        CheckinListPublic: {
            /** Allow Multiple Entries */
            allow_multiple_entries: boolean;
            /** Allow Reentry */
            allow_reentry: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Event Id */
            event_id: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Ticket Type Ids */
            ticket_type_ids: string[];
        };
        /**
         * CheckinListReport
         * @example {
         *       "allow_multiple_entries": false,
         *       "allow_reentry": true,
         *       "counts": [
         *         {
         *           "checked_in": 120,
         *           "inside_now": 97,
         *           "name": "Standing",
         *           "ticket_type_id": "665f1c2e9b1d4a00123456aa",
         *           "total_valid": 150
         *         }
         *       ],
         *       "created_at": "2026-12-01T08:00:00Z",
         *       "double_entries": [],
         *       "double_entry_count": 0,
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "id": "6a1d2f3e-4b5c-4d6e-8f70-8192a3b4c5d6",
         *       "name": "Main entrance",
         *       "ticket_type_ids": []
         *     }
         */
        CheckinListReport: {
            /** Allow Multiple Entries */
            allow_multiple_entries: boolean;
            /** Allow Reentry */
            allow_reentry: boolean;
            /** Counts */
            counts: components["schemas"]["TypeCountPublic"][];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Double Entries
             * @description Offline scans that admitted a ticket already in
             */
            double_entries: components["schemas"]["ScanPublic"][];
            /** Double Entry Count */
            double_entry_count: number;
            /** Event Id */
            event_id: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Ticket Type Ids */
            ticket_type_ids: string[];
        };
        /**
         * DoorStaffCreate
         * @example {
         *       "user_id": "42"
         *     }
         */
        DoorStaffCreate: {
            /** User Id */
            user_id: string;
        };
        /** DoorStaffPage */
        DoorStaffPage: {
            /** Items */
            items: components["schemas"]["DoorStaffPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /**
         * DoorStaffPublic
         * @example {
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "granted_at": "2026-12-01T08:00:00Z",
         *       "granted_by": "7",
         *       "user_id": "42"
         *     }
         */
        DoorStaffPublic: {
            /** Event Id */
            event_id: string;
            /**
             * Granted At
             * Format: date-time
             */
            granted_at: string;
            /** Granted By */
            granted_by: string;
            /** User Id */
            user_id: string;
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /** Health */
        Health: {
            /** Status */
            status: string;
        };
        /**
         * Jwks
         * @example {
         *       "keys": [
         *         {
         *           "alg": "EdDSA",
         *           "crv": "Ed25519",
         *           "kid": "QELqRdtMtiDYJDHoP68Arl4M0C2_NSoR_pURPu7AnH4",
         *           "kty": "OKP",
         *           "use": "sig",
         *           "x": "MNG2xd1w191LU1pWGmVYBrH_tMI81Z91LFHFQKP2xGk"
         *         }
         *       ]
         *     }
         */
        Jwks: {
            /** Keys */
            keys: {
                [key: string]: string;
            }[];
        };
        /**
         * OfflineScan
         * @example {
         *       "nonce": "gate1-000123",
         *       "secret": "AEB7C4JG6HR4C3ZGJH2IVQFOOFYJB6BJMZPRYLU3DVFAAERUKZ4GMXY4F2NR2SQACI2FNKTLB2COG2YOZMZ4JVBPZHHWX47LFQIFHVUOGTTNTSGVNWDEGR53RCEZ4KB4NNIUHW5HVK5F2IBQVDFX3OYAXR3C5MD5WQMWV4ZYGFJ75HISLNCQMF4SAI",
         *       "type": "entry"
         *     }
         */
        OfflineScan: {
            /**
             * Nonce
             * @description Unique per scan made: sent again, it answers the first verdict and records nothing
             */
            nonce: string;
            /**
             * Scanned At
             * Format: date-time
             * @description When the offline scanner scanned it
             */
            scanned_at: string;
            /** Secret */
            secret: string;
            /**
             * Type
             * @default entry
             * @enum {string}
             */
            type?: "entry" | "exit";
        };
        /** Readiness */
        Readiness: {
            /** Checks */
            checks: {
                [key: string]: string;
            };
            /** Status */
            status: string;
        };
        /** Revocation */
        Revocation: {
            /** Booking Id */
            booking_id: string;
            /**
             * Cursor
             * @description Pass the last one as `since`
             */
            cursor: number;
            /** Reason */
            reason: string;
            /**
             * Revoked At
             * Format: date-time
             */
            revoked_at: string;
            /**
             * Ticket Id
             * Format: uuid
             */
            ticket_id: string;
            /** Ticket Type Id */
            ticket_type_id: string;
        };
        /**
         * RevocationPage
         * @example {
         *       "has_more": false,
         *       "items": [
         *         {
         *           "booking_id": "3f2a1c9e-0d4b-4a8e-b1f2-6c7d8e9fa0b1",
         *           "cursor": 42,
         *           "reason": "booking_cancelled",
         *           "revoked_at": "2026-12-01T09:30:00Z",
         *           "ticket_id": "0b8f6c1e-7c55-4f4e-9a52-2f0f6d3f1a10",
         *           "ticket_type_id": "665f1c2e9b1d4a00123456aa"
         *         }
         *       ],
         *       "limit": 500,
         *       "next_since": 42
         *     }
         */
        RevocationPage: {
            /**
             * Has More
             * @description A full page: call again with `next_since` at once
             */
            has_more: boolean;
            /** Items */
            items: components["schemas"]["Revocation"][];
            /** Limit */
            limit: number;
            /**
             * Next Since
             * @description The `since` of the next call: the last item's cursor (or yours)
             */
            next_since: number;
        };
        /**
         * ScanBatch
         * @example {
         *       "scans": [
         *         {
         *           "nonce": "gate2-000007",
         *           "scanned_at": "2026-12-01T19:01:00Z",
         *           "secret": "AEB7C4JG6HR4C3ZGJH2IVQFOOFYJB6BJMZPRYLU3DVFAAERUKZ4GMXY4F2NR2SQACI2FNKTLB2COG2YOZMZ4JVBPZHHWX47LFQIFHVUOGTTNTSGVNWDEGR53RCEZ4KB4NNIUHW5HVK5F2IBQVDFX3OYAXR3C5MD5WQMWV4ZYGFJ75HISLNCQMF4SAI",
         *           "type": "entry"
         *         }
         *       ]
         *     }
         */
        ScanBatch: {
            /** Scans */
            scans: components["schemas"]["OfflineScan"][];
        };
        /** ScanBatchResult */
        ScanBatchResult: {
            /**
             * Results
             * @description One per scan, in the order sent
             */
            results: components["schemas"]["ScanResult"][];
        };
        /**
         * ScanCreate
         * @example {
         *       "nonce": "gate1-000123",
         *       "secret": "AEB7C4JG6HR4C3ZGJH2IVQFOOFYJB6BJMZPRYLU3DVFAAERUKZ4GMXY4F2NR2SQACI2FNKTLB2COG2YOZMZ4JVBPZHHWX47LFQIFHVUOGTTNTSGVNWDEGR53RCEZ4KB4NNIUHW5HVK5F2IBQVDFX3OYAXR3C5MD5WQMWV4ZYGFJ75HISLNCQMF4SAI",
         *       "type": "entry"
         *     }
         */
        ScanCreate: {
            /**
             * Nonce
             * @description Unique per scan made: sent again, it answers the first verdict and records nothing
             */
            nonce: string;
            /**
             * Scanned At
             * @description When it was scanned; now when left out
             */
            scanned_at?: string | null;
            /** Secret */
            secret: string;
            /**
             * Type
             * @default entry
             * @enum {string}
             */
            type?: "entry" | "exit";
        };
        /** ScanPublic */
        ScanPublic: {
            /** Double Entry */
            double_entry: boolean;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Nonce */
            nonce: string;
            /** Offline */
            offline: boolean;
            /**
             * Received At
             * Format: date-time
             */
            received_at: string;
            /**
             * Result
             * @enum {string}
             */
            result: "ok" | "already_checked_in" | "revoked" | "wrong_event" | "wrong_ticket_type" | "invalid_signature" | "not_yet_valid" | "expired";
            /**
             * Scanned At
             * Format: date-time
             */
            scanned_at: string;
            /** Ticket Id */
            ticket_id: string | null;
            /**
             * Type
             * @enum {string}
             */
            type: "entry" | "exit";
        };
        /**
         * ScanResult
         * @example {
         *       "checked_in_at": "2026-12-01T19:02:11Z",
         *       "double_entry": false,
         *       "replayed": false,
         *       "result": "already_checked_in",
         *       "scan": {
         *         "double_entry": false,
         *         "id": "9c0d1e2f-3a4b-4c5d-8e6f-708192a3b4c5",
         *         "nonce": "gate1-000124",
         *         "offline": false,
         *         "received_at": "2026-12-01T19:05:00Z",
         *         "result": "already_checked_in",
         *         "scanned_at": "2026-12-01T19:05:00Z",
         *         "ticket_id": "0b8f6c1e-7c55-4f4e-9a52-2f0f6d3f1a10",
         *         "type": "entry"
         *       },
         *       "ticket": {
         *         "attendee_name": "Ada Lovelace",
         *         "event_id": "665f1c2e9b1d4a0012345678",
         *         "id": "0b8f6c1e-7c55-4f4e-9a52-2f0f6d3f1a10",
         *         "status": "valid",
         *         "ticket_type_id": "665f1c2e9b1d4a00123456aa"
         *       }
         *     }
         */
        ScanResult: {
            /**
             * Checked In At
             * @description For already_checked_in: when it first entered
             */
            checked_in_at: string | null;
            /**
             * Double Entry
             * @description An offline scan that admitted a ticket already in
             */
            double_entry: boolean;
            /**
             * Replayed
             * @description The nonce was sent before: this is that scan's verdict
             */
            replayed: boolean;
            /**
             * Result
             * @enum {string}
             */
            result: "ok" | "already_checked_in" | "revoked" | "wrong_event" | "wrong_ticket_type" | "invalid_signature" | "not_yet_valid" | "expired";
            scan: components["schemas"]["ScanPublic"];
            /** @description None when the secret is unreadable or of another event */
            ticket: components["schemas"]["ScanTicket"] | null;
        };
        /** ScanTicket */
        ScanTicket: {
            /** Attendee Name */
            attendee_name: string;
            /** Event Id */
            event_id: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Status */
            status: string;
            /** Ticket Type Id */
            ticket_type_id: string;
        };
        /** TicketPage */
        TicketPage: {
            /** Items */
            items: components["schemas"]["TicketPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /**
         * TicketPublic
         * @example {
         *       "attendee_name": "Ada Lovelace",
         *       "booking_id": "3f2a1c9e-0d4b-4a8e-b1f2-6c7d8e9fa0b1",
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "id": "0b8f6c1e-7c55-4f4e-9a52-2f0f6d3f1a10",
         *       "secret": "AEB7C4JG6HR4C3ZGJH2IVQFOOFYJB6BJMZPRYLU3DVFAAERUKZ4GMXY4F2NR2SQACI2FNKTLB2COG2YOZMZ4JVBPZHHWX47LFQIFHVUOGTTNTSGVNWDEGR53RCEZ4KB4NNIUHW5HVK5F2IBQVDFX3OYAXR3C5MD5WQMWV4ZYGFJ75HISLNCQMF4SAI",
         *       "status": "valid",
         *       "ticket_type_id": "665f1c2e9b1d4a00123456aa"
         *     }
         */
        TicketPublic: {
            /**
             * Attendee Name
             * @description Empty when the booker's full name is unknown; the owner may set it
             */
            attendee_name: string;
            /** Booking Id */
            booking_id: string;
            /** Event Id */
            event_id: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Secret
             * @description Signed; what the QR code holds (docs/checkin.md gives its format)
             */
            secret: string;
            /**
             * Status
             * @enum {string}
             */
            status: "valid" | "revoked";
            /** Ticket Type Id */
            ticket_type_id: string;
        };
        /**
         * TicketUpdate
         * @example {
         *       "attendee_name": "Grace Hopper"
         *     }
         */
        TicketUpdate: {
            /** Attendee Name */
            attendee_name: string;
        };
        /** TypeCountPublic */
        TypeCountPublic: {
            /**
             * Checked In
             * @description Tickets admitted at least once (each counted once)
             */
            checked_in: number;
            /**
             * Inside Now
             * @description Of those, the ones not scanned out since
             */
            inside_now: number;
            /** Name */
            name: string;
            /** Ticket Type Id */
            ticket_type_id: string;
            /**
             * Total Valid
             * @description Tickets of the type not revoked
             */
            total_valid: number;
        };
        /** ValidationError */
        ValidationError: {
            /** Context */
            ctx?: Record<string, never>;
            /** Input */
            input?: unknown;
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    read_ticket_keys__well_known_ticket_keys_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_booking_tickets_bookings__booking_id__tickets_get: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                booking_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No tickets of such a booking, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_checkin_list_checkin_lists__checkin_list_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                checkin_list_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckinListReport"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such check-in list */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_attendees_checkin_lists__checkin_list_id__attendees_get: {
        parameters: {
            query?: {
                format?: "json" | "csv";
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                checkin_list_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page as JSON, or every row as CSV */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttendeePage"];
                    "text/csv": unknown;
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such check-in list */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_scan_checkin_lists__checkin_list_id__scans_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                checkin_list_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScanCreate"] | components["schemas"]["ScanBatch"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanResult"] | components["schemas"]["ScanBatchResult"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin, or its door staff */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such check-in list */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid body (`detail` names each field), or a `scanned_at` in the future */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_checkin_lists_events__event_id__checkin_lists_get: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckinListPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event known to the check-in service */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_checkin_list_events__event_id__checkin_lists_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckinListCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckinListPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event known to the check-in service */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event has all the lists it may */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid body, or a ticket type not of the event (`field`: ticket_type_ids) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_door_staff_events__event_id__door_staff_get: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoorStaffPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event known to the check-in service */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_door_staff_events__event_id__door_staff_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DoorStaffCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoorStaffPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event known to the check-in service */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event has all the staff it may */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delete_door_staff_events__event_id__door_staff__user_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                event_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event, or that user is not its door staff */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_revocations_events__event_id__revocations_get: {
        parameters: {
            query?: {
                /** @description The last `cursor` seen; 0 for all */
                since?: number;
                limit?: number;
            };
            header?: never;
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevocationPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer, an admin (or, where allowed, its door staff) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event known to the check-in service */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_health_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    read_readiness_ready_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description A store or the broker is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    read_ticket_tickets__ticket_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such ticket, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    update_ticket_tickets__ticket_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TicketUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such ticket, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event has started, or the ticket was revoked */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_ticket_qr_tickets__ticket_id__qr_svg_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The QR code of the ticket's secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/svg+xml": unknown;
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such ticket, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
