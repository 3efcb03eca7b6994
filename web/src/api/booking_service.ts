// Generated from openapi/booking_service.json by `make web-types`; do not edit.

export interface paths {
    "/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Bookings
         * @description Lists the caller's bookings, newest first (admins and services see everyone's).
         */
        get: operations["read_bookings_bookings_get"];
        put?: never;
        /**
         * Create Booking
         * @description Books and pays for tickets: `tickets` of the event's default type, or `items` of its ticket
         *     types (each type once, at most 20), at the prices the event sets (after `voucher`, if given).
         *     All or nothing: every item's seats are reserved, or none.
         *
         *     With `hold: true` the seats are only reserved: 201 `held` with `expires_at`, to be paid with
         *     `POST /bookings/{id}/pay` before then. A retry with the same `Idempotency-Key` answers as its
         *     booking ended (confirmed, declined, or the hold), or 409 while it is being paid; after a failure
         *     that charged nothing (502, 503) it books afresh.
         */
        post: operations["create_booking_bookings_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{booking_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Booking
         * @description Returns one booking of the caller's (any booking for an admin).
         */
        get: operations["read_booking_bookings__booking_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{booking_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel Booking
         * @description Cancels a confirmed booking: seats go back on sale and the payment is refunded. A hold
         *     (`held`) is given up: its seats go back on sale, nothing was charged, and it ends `expired`.
         */
        post: operations["cancel_booking_bookings__booking_id__cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{booking_id}/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pay Booking
         * @description Pays for a hold of the caller's before its `expires_at`: confirmed, or declined (402) and its
         *     seats released; after `expires_at`, 409 and the seats are back on sale.
         */
        post: operations["pay_booking_bookings__booking_id__pay_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Availability
         * @description Seats of an event: capacity, sold, held (being paid or on hold), and available; each ticket
         *     type on public sale with what one could book of it now, and each quota.
         */
        get: operations["read_availability_events__event_id__availability_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Sales
         * @description An event's sales for its organizer's dashboard (organizer, admin): seats sold and held per
         *     ticket type, hidden types too, and the money its confirmed bookings brought in and gave back.
         */
        get: operations["read_sales_events__event_id__sales_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/waiting-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Event Waiting List
         * @description Lists an event's waiting list in order of joining (its organizer and admins only).
         */
        get: operations["read_event_waiting_list_events__event_id__waiting_list_get"];
        put?: never;
        /**
         * Create Waiting List Entry
         * @description Joins the waiting list of a sold-out ticket type: freed seats are offered to its entries in
         *     order of joining, as a hold to pay before the offer's `expires_at`.
         */
        post: operations["create_waiting_list_entry_events__event_id__waiting_list_post"];
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
    "/waiting-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Waiting List Entries
         * @description Lists the caller's waiting list entries, newest first, with their position and offer.
         */
        get: operations["read_waiting_list_entries_waiting_list_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/waiting-list/{entry_id}": {
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
         * Withdraw Waiting List Entry
         * @description Leaves the waiting list (`withdrawn`); an offer not yet paid is given up and passes on.
         */
        delete: operations["withdraw_waiting_list_entry_waiting_list__entry_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * Availability
         * @example {
         *       "available": 58,
         *       "capacity": 100,
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "held": 2,
         *       "on_sale": true,
         *       "quotas": [
         *         {
         *           "available": 18,
         *           "held": 2,
         *           "name": "Floor",
         *           "quota_id": "665f1c2e9b1d4a00123456bb",
         *           "size": 60,
         *           "sold": 40,
         *           "waiting": 0
         *         }
         *       ],
         *       "sold": 40,
         *       "ticket_types": [
         *         {
         *           "available": 18,
         *           "name": "Admission",
         *           "price": 2500,
         *           "status": "on_sale",
         *           "ticket_type_id": "665f1c2e9b1d4a0012345678",
         *           "waiting": 0
         *         }
         *       ],
         *       "waiting": 0
         *     }
         */
        Availability: {
            /**
             * Available
             * @description Seats neither sold nor held nor owed to the waiting list; bookable only while `on_sale`
             */
            available: number;
            /** Capacity */
            capacity: number;
            /** Event Id */
            event_id: string;
            /**
             * Held
             * @description Seats reserved by bookings whose payment is still in progress
             */
            held: number;
            /**
             * On Sale
             * @description False once the event is cancelled or deleted
             */
            on_sale: boolean;
            /**
             * Quotas
             * @description Seats shared by some types
             */
            quotas?: components["schemas"]["QuotaAvailability"][];
            /** Sold */
            sold: number;
            /**
             * Ticket Types
             * @description Types on public sale, in display order (hidden ones are left out)
             */
            ticket_types?: components["schemas"]["TicketTypeAvailability"][];
            /**
             * Waiting
             * @description Seats the waiting list entries still waiting ask for
             * @default 0
             */
            waiting?: number;
        };
        /**
         * BookingCreate
         * @example {
         *       "attendee_names": [
         *         "Ada Lovelace",
         *         "Charles Babbage"
         *       ],
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "items": [
         *         {
         *           "quantity": 2,
         *           "ticket_type_id": "665f1c2e9b1d4a0012345678"
         *         },
         *         {
         *           "quantity": 1,
         *           "ticket_type_id": "665f1c2e9b1d4a00123456aa"
         *         }
         *       ],
         *       "voucher": "EARLYBIRD"
         *     }
         * @example {
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "tickets": 2
         *     }
         */
        BookingCreate: {
            /**
             * Attendee Names
             * @description Who attends, in ticket order (items' order), at most one per ticket, each 1..100 characters; tickets past them are in the booker's name
             */
            attendee_names?: string[] | null;
            /** Event Id */
            event_id: string;
            /**
             * Hold
             * @description Reserve the seats unpaid until `expires_at`, to pay with `POST /bookings/{id}/pay`
             * @default false
             */
            hold?: boolean;
            /**
             * Items
             * @description Tickets per type, each type once; give either this or `tickets`
             */
            items?: components["schemas"]["ItemCreate"][] | null;
            /**
             * Payment Method
             * @description A test payment method: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined
             * @default pm_card_visa
             * @enum {string}
             */
            payment_method?: "pm_card_visa" | "pm_card_mastercard" | "pm_card_chargeDeclined" | "pm_card_chargeDeclinedInsufficientFunds";
            /**
             * Tickets
             * @description Tickets of the event's default type (at most the event's max_tickets_per_booking); give either this or `items`
             */
            tickets?: number | null;
            /**
             * Voucher
             * @description A promo code of the event (any case)
             */
            voucher?: string | null;
        };
        /** BookingPage */
        BookingPage: {
            /** Items */
            items: components["schemas"]["BookingPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /** BookingPublic */
        BookingPublic: {
            /**
             * Amount
             * @description Total in minor units (cents)
             */
            amount: number;
            /**
             * Attendee Names
             * @description Names given by the booker, in ticket order; the rest are the booker's
             */
            attendee_names?: string[];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Currency */
            currency: string;
            /** Event Id */
            event_id: string;
            /** Event Title */
            event_title: string;
            /**
             * Expires At
             * @description A hold (`held`) not paid by then expires and frees its seats
             */
            expires_at?: string | null;
            /** Failure Reason */
            failure_reason: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Items
             * @description Tickets per type; `tickets` is their total
             */
            items: components["schemas"]["ItemPublic"][];
            /** Payment Id */
            payment_id: string | null;
            /**
             * Refunded Amount
             * @description Refunded so far, in minor units (cents)
             */
            refunded_amount: number;
            status: components["schemas"]["BookingStatus"];
            /** Tickets */
            tickets: number;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** User Id */
            user_id: string;
            /**
             * Voucher
             * @description The promo code applied, as the event spells it
             */
            voucher?: string | null;
            /**
             * Waiting List Entry Id
             * @description For an offer from the waiting list: the entry it was offered to
             */
            waiting_list_entry_id?: string | null;
        };
        /**
         * BookingStatus
         * @enum {string}
         */
        BookingStatus: "pending" | "confirmed" | "failed" | "released" | "cancelled" | "refund_refused" | "held" | "expired";
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
        /** ItemCreate */
        ItemCreate: {
            /**
             * Quantity
             * @description Within the type's min and max per booking
             */
            quantity: number;
            /** Ticket Type Id */
            ticket_type_id: string;
        };
        /** ItemPublic */
        ItemPublic: {
            /** Name */
            name: string;
            /** Quantity */
            quantity: number;
            /** Ticket Type Id */
            ticket_type_id: string;
            /**
             * Unit Price
             * @description Minor units (cents), after the voucher if any
             */
            unit_price: number;
        };
        /** OfferPublic */
        OfferPublic: {
            /**
             * Booking Id
             * Format: uuid
             * @description The hold to pay with `POST /bookings/{id}/pay`
             */
            booking_id: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /**
             * Quantity
             * @description Seats offered: the entry's quantity, or fewer for a partial offer
             */
            quantity: number;
        };
        /**
         * Payment
         * @example {
         *       "payment_method": "pm_card_visa"
         *     }
         */
        Payment: {
            /**
             * Payment Method
             * @description Replaces the method given with the hold, if any
             */
            payment_method?: ("pm_card_visa" | "pm_card_mastercard" | "pm_card_chargeDeclined" | "pm_card_chargeDeclinedInsufficientFunds") | null;
        };
        /** QuotaAvailability */
        QuotaAvailability: {
            /**
             * Available
             * @description Seats the public can book: left, less those owed to the waiting list
             */
            available: number;
            /** Held */
            held: number;
            /** Name */
            name: string;
            /** Quota Id */
            quota_id: string;
            /** Size */
            size: number;
            /** Sold */
            sold: number;
            /**
             * Waiting
             * @description Seats its types' waiting list entries ask for
             * @default 0
             */
            waiting?: number;
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
        /**
         * SalesPublic
         * @example {
         *       "currency": "EUR",
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "held": 1,
         *       "refunded": 0,
         *       "revenue": 8800,
         *       "sold": 3,
         *       "ticket_types": [
         *         {
         *           "held": 1,
         *           "name": "Admission",
         *           "revenue": 4000,
         *           "sold": 2,
         *           "ticket_type_id": "665f1c2e9b1d4a0012345678"
         *         }
         *       ]
         *     }
         */
        SalesPublic: {
            /** Currency */
            currency: string;
            /** Event Id */
            event_id: string;
            /** Held */
            held: number;
            /**
             * Refunded
             * @description Given back on the event's bookings so far, in minor units
             */
            refunded: number;
            /**
             * Revenue
             * @description Paid for the confirmed bookings, in minor units
             */
            revenue: number;
            /** Sold */
            sold: number;
            /**
             * Ticket Types
             * @description Every type the event sells, hidden ones too
             */
            ticket_types: components["schemas"]["TicketTypeSales"][];
        };
        /** TicketTypeAvailability */
        TicketTypeAvailability: {
            /**
             * Available
             * @description Seats of this type one could book now: its capacity and quotas allowing
             */
            available: number;
            /** Name */
            name: string;
            /**
             * Price
             * @description Minor units (cents), before any voucher
             */
            price: number;
            /**
             * Status
             * @description `on_sale`; `not_yet` (sales start later); `ended` (sales ended, or the event is cancelled or started); `sold_out`
             * @enum {string}
             */
            status: "on_sale" | "not_yet" | "ended" | "sold_out" | "hidden";
            /** Ticket Type Id */
            ticket_type_id: string;
            /**
             * Waiting
             * @description Seats its waiting list entries ask for
             * @default 0
             */
            waiting?: number;
        };
        /** TicketTypeSales */
        TicketTypeSales: {
            /**
             * Held
             * @description Seats of the type held or being paid for
             */
            held: number;
            /** Name */
            name: string;
            /**
             * Revenue
             * @description Paid for the type's confirmed seats, in minor units (after vouchers)
             */
            revenue: number;
            /**
             * Sold
             * @description Seats of the type paid for
             */
            sold: number;
            /** Ticket Type Id */
            ticket_type_id: string;
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
        /**
         * WaitingListEntryCreate
         * @example {
         *       "accept_partial": true,
         *       "quantity": 4,
         *       "ticket_type_id": "665f1c2e9b1d4a0012345678"
         *     }
         */
        WaitingListEntryCreate: {
            /**
             * Accept Partial
             * @description Take an offer of fewer seats (at least the type's min per booking) when fewer free up
             * @default false
             */
            accept_partial?: boolean;
            /**
             * Quantity
             * @description Within the type's min and max per booking
             */
            quantity: number;
            /** Ticket Type Id */
            ticket_type_id: string;
        };
        /**
         * WaitingListEntryPublic
         * @example {
         *       "accept_partial": true,
         *       "created_at": "2030-05-01T10:00:00Z",
         *       "event_id": "665f1c2e9b1d4a0012345678",
         *       "id": "0b6f7a4e-2f7d-4a39-9c1e-6f1d2a3b4c5d",
         *       "offer": {
         *         "booking_id": "a3c1e0f2-1b2c-4d5e-8f90-123456789abc",
         *         "expires_at": "2030-05-02T10:00:00Z",
         *         "quantity": 2
         *       },
         *       "quantity": 4,
         *       "state": "offered",
         *       "ticket_type_id": "665f1c2e9b1d4a0012345678",
         *       "user_id": "7"
         *     }
         */
        WaitingListEntryPublic: {
            /** Accept Partial */
            accept_partial: boolean;
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
            /** @description The seats held for it, once offered */
            offer: components["schemas"]["OfferPublic"] | null;
            /**
             * Position
             * @description 1 for the next in line of its ticket type, while `waiting`; null otherwise
             */
            position: number | null;
            /** Quantity */
            quantity: number;
            state: components["schemas"]["WaitingListState"];
            /** Ticket Type Id */
            ticket_type_id: string;
            /** User Id */
            user_id: string;
        };
        /**
         * WaitingListPage
         * @example {
         *       "items": [
         *         {
         *           "accept_partial": true,
         *           "created_at": "2030-05-01T10:00:00Z",
         *           "event_id": "665f1c2e9b1d4a0012345678",
         *           "id": "0b6f7a4e-2f7d-4a39-9c1e-6f1d2a3b4c5d",
         *           "offer": {
         *             "booking_id": "a3c1e0f2-1b2c-4d5e-8f90-123456789abc",
         *             "expires_at": "2030-05-02T10:00:00Z",
         *             "quantity": 2
         *           },
         *           "quantity": 4,
         *           "state": "offered",
         *           "ticket_type_id": "665f1c2e9b1d4a0012345678",
         *           "user_id": "7"
         *         }
         *       ],
         *       "limit": 20,
         *       "offset": 0,
         *       "total": 1
         *     }
         */
        WaitingListPage: {
            /** Items */
            items: components["schemas"]["WaitingListEntryPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /** Total */
            total: number;
        };
        /**
         * WaitingListState
         * @enum {string}
         */
        WaitingListState: "waiting" | "offered" | "booked" | "expired" | "withdrawn";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    read_bookings_bookings_get: {
        parameters: {
            query?: {
                event_id?: string | null;
                status?: components["schemas"]["BookingStatus"] | null;
                limit?: number;
                offset?: number;
            };
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
                    "application/json": components["schemas"]["BookingPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
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
    create_booking_bookings_post: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookingCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Payment declined; the seats were released */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity cannot book */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not enough seats (`ticket_type_id`, `reason`: sold_out), a type not on sale (`reason`: not_yet, ended), the event is cancelled or has started, the key was used for a different booking, or the booking made with the key is still being paid (retry later) */
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
            /** @description Invalid body (`detail` lists each field), or a request the event does not allow: an unknown type, a quantity outside the type's min/max or the event's max_tickets_per_booking, or a voucher refused (`field`: voucher, `reason`: unknown, disabled, expired, not_applicable, used_up); `field` names the part at fault */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The payment service refused the charge; the seats were released */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The payment or event service is unavailable; nothing was charged */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The payment did not answer in time; the booking stays pending until resolved */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_booking_bookings__booking_id__get: {
        parameters: {
            query?: never;
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
                    "application/json": components["schemas"]["BookingPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such booking, or not yours */
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
    cancel_booking_bookings__booking_id__cancel_post: {
        parameters: {
            query?: never;
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
                    "application/json": components["schemas"]["BookingPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such booking, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only confirmed bookings can be cancelled */
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
            /** @description The payment service refused the refund; the booking is unchanged */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The payment service is unavailable; the booking is unchanged */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    pay_booking_bookings__booking_id__pay_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                booking_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["Payment"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Payment declined; the seats were released */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity cannot pay */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such booking, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The hold expired (its seats are back on sale), or the booking is not held */
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
            /** @description The payment service refused the charge; the seats were released */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The payment service is unavailable; nothing was charged, the seats released */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The payment did not answer in time; the booking stays pending until resolved */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_availability_events__event_id__availability_get: {
        parameters: {
            query?: never;
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
                    "application/json": components["schemas"]["Availability"];
                };
            };
            /** @description No such event */
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
            /** @description The event service is unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_sales_events__event_id__sales_get: {
        parameters: {
            query?: never;
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
                    "application/json": components["schemas"]["SalesPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer or an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event */
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
    read_event_waiting_list_events__event_id__waiting_list_get: {
        parameters: {
            query?: {
                state?: components["schemas"]["WaitingListState"] | null;
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
                    "application/json": components["schemas"]["WaitingListPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's organizer or an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event */
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
    create_waiting_list_entry_events__event_id__waiting_list_post: {
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
                "application/json": components["schemas"]["WaitingListEntryCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WaitingListEntryPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity cannot join */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such event */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The type can still be booked (`reason`: on_sale), is not on sale (`reason`: not_yet, ended), the event is cancelled or has started, you already wait for this type (`reason`: already_waiting), or you have as many entries as one may (`reason`: too_many_entries) */
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
            /** @description Invalid body, an unknown type (`field`: ticket_type_id), or a quantity outside the type's min/max per booking (`field`: quantity) */
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
    read_waiting_list_entries_waiting_list_get: {
        parameters: {
            query?: {
                state?: components["schemas"]["WaitingListState"] | null;
                limit?: number;
                offset?: number;
            };
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
                    "application/json": components["schemas"]["WaitingListPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity has no waiting list entries */
            403: {
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
    withdraw_waiting_list_entry_waiting_list__entry_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                entry_id: string;
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
                    "application/json": components["schemas"]["WaitingListEntryPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such entry, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The entry is booked, expired or withdrawn already, or its offer is being paid */
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
}
