// Generated from openapi/notification_service.json by `make web-types`; do not edit.

export interface paths {
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
    "/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Notifications
         * @description Returns the caller's notifications, newest first, with the unread count.
         */
        get: operations["read_notifications_notifications_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark All Notifications Read
         * @description Marks every notification of the caller as read.
         */
        post: operations["mark_all_notifications_read_notifications_read_all_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/{notification_id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark Notification Read
         * @description Marks one of the caller's notifications as read.
         */
        post: operations["mark_notification_read_notifications__notification_id__read_post"];
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
    "/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Webhooks
         * @description Returns the caller's webhooks.
         */
        get: operations["read_webhooks_webhooks_get"];
        put?: never;
        /**
         * Create Webhook
         * @description Registers an endpoint; the answer holds its signing secret, shown this once.
         */
        post: operations["create_webhook_webhooks_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Webhook
         * @description Returns one of the caller's webhooks.
         */
        get: operations["read_webhook_webhooks__webhook_id__get"];
        put?: never;
        post?: never;
        /**
         * Delete Webhook
         * @description Deletes a webhook and its deliveries.
         */
        delete: operations["delete_webhook_webhooks__webhook_id__delete"];
        options?: never;
        head?: never;
        /**
         * Update Webhook
         * @description Changes a webhook; `enabled: false` settles its pending deliveries as failed.
         */
        patch: operations["update_webhook_webhooks__webhook_id__patch"];
        trace?: never;
    };
    "/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Webhook Deliveries
         * @description Returns the webhook's deliveries of the last 30 days, newest first, each with its attempts.
         */
        get: operations["read_webhook_deliveries_webhooks__webhook_id__deliveries_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resend Webhook Delivery
         * @description Sends a delivered or failed delivery again, with the same `webhook-id`.
         */
        post: operations["resend_webhook_delivery_webhooks__webhook_id__deliveries__delivery_id__resend_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate Webhook Secret
         * @description Returns a new signing secret; the previous one signs beside it for 24 hours.
         */
        post: operations["rotate_webhook_secret_webhooks__webhook_id__rotate_secret_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send Webhook Test
         * @description Queues a `webhook.test` delivery to the endpoint.
         */
        post: operations["send_webhook_test_webhooks__webhook_id__test_post"];
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
        /** AttemptPublic */
        AttemptPublic: {
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Duration Ms */
            duration_ms: number;
            /** Error */
            error: string | null;
            /**
             * Response
             * @description The first KB of the answer's body
             */
            response: string;
            /**
             * Status Code
             * @description None when no answer came (see `error`)
             */
            status_code: number | null;
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
        /** NotificationPage */
        NotificationPage: {
            /** Items */
            items: components["schemas"]["NotificationPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Total
             * @description How many match the query
             */
            total: number;
            /**
             * Unread
             * @description How many of the caller's notifications are unread
             */
            unread: number;
        };
        /**
         * NotificationPublic
         * @example {
         *       "body": "3 tickets sold for Jazz on the Roof (2 × Regular, 1 × VIP; 75.00 EUR).",
         *       "created_at": "2030-06-01T09:15:00Z",
         *       "data": {
         *         "amount": 7500,
         *         "booking_id": "b7c1",
         *         "currency": "EUR",
         *         "event_id": "e42",
         *         "event_starts_at": "2030-06-21T17:30:00+00:00",
         *         "event_timezone": "Europe/Berlin",
         *         "items": [
         *           {
         *             "name": "Regular",
         *             "quantity": 2,
         *             "ticket_type_id": "t1",
         *             "unit_price": 2000
         *           },
         *           {
         *             "name": "VIP",
         *             "quantity": 1,
         *             "ticket_type_id": "t2",
         *             "unit_price": 3500
         *           }
         *         ],
         *         "tickets": 3
         *       },
         *       "id": "0190f3c2a1b07c3e9d2f4a1b",
         *       "title": "Tickets sold",
         *       "type": "tickets.sold"
         *     }
         */
        NotificationPublic: {
            /**
             * Body
             * @description One or two sentences; times in the event's own time zone, named
             */
            body: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Data
             * @description Ids and figures for the client to link or show: a booking's `items` (empty from older releases), `event_starts_at` and `event_timezone`, a hold's `expires_at`, an event's `starts_at` and `timezone`
             */
            data: {
                [key: string]: unknown;
            };
            /**
             * Id
             * @description Sorts by the time it was stored; reconnect with `?since=<id>`
             */
            id: string;
            /** Read */
            read: boolean;
            /** Title */
            title: string;
            /**
             * Type
             * @description What happened: `booking.held`, `booking.expired`, `booking.confirmed`, `booking.failed`, `booking.cancelled`, `tickets.sold` (to the organizer), `payment.refunded`, `event.created`, `event.updated` or `event.cancelled`
             */
            type: string;
        };
        /** ReadAllResult */
        ReadAllResult: {
            /**
             * Marked Read
             * @description How many notifications were unread before
             */
            marked_read: number;
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
         * WebhookCreate
         * @example {
         *       "description": "CRM: new customers and cancellations",
         *       "event_types": [
         *         "booking.confirmed",
         *         "booking.cancelled",
         *         "checkin.scanned"
         *       ],
         *       "url": "https://crm.example.com/hooks/box-office"
         *     }
         */
        WebhookCreate: {
            /**
             * Description
             * @default
             */
            description?: string;
            /**
             * Event Id
             * @description Only this event's facts (one of the caller's)
             */
            event_id?: string | null;
            /**
             * Event Types
             * @description Types, or a family's wildcard: `booking.*`
             */
            event_types: string[];
            /**
             * Url
             * @description https, to a public address (development also allows `http://127.0.0.1`)
             */
            url: string;
        };
        /**
         * WebhookDeliveryPage
         * @example {
         *       "items": [
         *         {
         *           "attempts": [
         *             {
         *               "at": "2030-06-01T09:15:00Z",
         *               "duration_ms": 41,
         *               "response": "busy",
         *               "status_code": 503
         *             },
         *             {
         *               "at": "2030-06-01T09:15:05Z",
         *               "duration_ms": 10002,
         *               "error": "No answer within 10s",
         *               "response": ""
         *             }
         *           ],
         *           "created_at": "2030-06-01T09:15:00Z",
         *           "id": "6f1d0c9a4b7e4e0f9a1c2b3d4e5f6a7b:3c9e1f0a-0b6e-4a53-9a2b-8f8e2f6f1c11",
         *           "message_id": "3c9e1f0a-0b6e-4a53-9a2b-8f8e2f6f1c11",
         *           "next_attempt_at": "2030-06-01T09:15:35Z",
         *           "state": "pending",
         *           "type": "booking.confirmed"
         *         }
         *       ],
         *       "limit": 20,
         *       "offset": 20,
         *       "total": 21
         *     }
         */
        WebhookDeliveryPage: {
            /** Items */
            items: components["schemas"]["WebhookDeliveryPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Total
             * @description How many deliveries match the query
             */
            total: number;
        };
        /**
         * WebhookDeliveryPublic
         * @example {
         *       "attempts": [
         *         {
         *           "at": "2030-06-01T09:15:00Z",
         *           "duration_ms": 41,
         *           "response": "busy",
         *           "status_code": 503
         *         },
         *         {
         *           "at": "2030-06-01T09:15:05Z",
         *           "duration_ms": 10002,
         *           "error": "No answer within 10s",
         *           "response": ""
         *         }
         *       ],
         *       "created_at": "2030-06-01T09:15:00Z",
         *       "id": "6f1d0c9a4b7e4e0f9a1c2b3d4e5f6a7b:3c9e1f0a-0b6e-4a53-9a2b-8f8e2f6f1c11",
         *       "message_id": "3c9e1f0a-0b6e-4a53-9a2b-8f8e2f6f1c11",
         *       "next_attempt_at": "2030-06-01T09:15:35Z",
         *       "state": "pending",
         *       "type": "booking.confirmed"
         *     }
         */
        WebhookDeliveryPublic: {
            /** Attempts */
            attempts: components["schemas"]["AttemptPublic"][];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Id */
            id: string;
            /**
             * Message Id
             * @description The `webhook-id` header, the same on every attempt
             */
            message_id: string;
            /**
             * Next Attempt At
             * @description When it is tried next; None once settled
             */
            next_attempt_at: string | null;
            /**
             * State
             * @enum {string}
             */
            state: "pending" | "delivered" | "failed";
            /** Type */
            type: string;
        };
        /**
         * WebhookPage
         * @example {
         *       "items": [
         *         {
         *           "all_owners": false,
         *           "created_at": "2030-06-01T09:15:00Z",
         *           "description": "CRM: new customers and cancellations",
         *           "enabled": true,
         *           "event_types": [
         *             "booking.confirmed",
         *             "booking.cancelled",
         *             "checkin.scanned"
         *           ],
         *           "id": "6f1d0c9a4b7e4e0f9a1c2b3d4e5f6a7b",
         *           "owner_id": "u42",
         *           "updated_at": "2030-06-01T09:15:00Z",
         *           "url": "https://crm.example.com/hooks/box-office"
         *         }
         *       ],
         *       "total": 1
         *     }
         */
        WebhookPage: {
            /** Items */
            items: components["schemas"]["WebhookPublic"][];
            /** Total */
            total: number;
        };
        /**
         * WebhookPublic
         * @example {
         *       "all_owners": false,
         *       "created_at": "2030-06-01T09:15:00Z",
         *       "description": "CRM: new customers and cancellations",
         *       "enabled": true,
         *       "event_types": [
         *         "booking.confirmed",
         *         "booking.cancelled",
         *         "checkin.scanned"
         *       ],
         *       "id": "6f1d0c9a4b7e4e0f9a1c2b3d4e5f6a7b",
         *       "owner_id": "u42",
         *       "updated_at": "2030-06-01T09:15:00Z",
         *       "url": "https://crm.example.com/hooks/box-office"
         *     }
         */
        WebhookPublic: {
            /**
             * All Owners
             * @description An admin's endpoint: every organizer's facts
             */
            all_owners: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string;
            /**
             * Disabled Reason
             * @description `gone`: the endpoint answered 410; `failing`: every delivery failed for 3 days; `by_owner`: turned off with PATCH
             */
            disabled_reason: ("by_owner" | "gone" | "failing") | null;
            /** Enabled */
            enabled: boolean;
            /** Event Id */
            event_id: string | null;
            /** Event Types */
            event_types: string[];
            /** Id */
            id: string;
            /** Owner Id */
            owner_id: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Url */
            url: string;
        };
        /**
         * WebhookSecret
         * @description An endpoint with its signing secret: answered only on creation and rotation.
         * @example {
         *       "all_owners": false,
         *       "created_at": "2030-06-01T09:15:00Z",
         *       "description": "CRM: new customers and cancellations",
         *       "enabled": true,
         *       "event_types": [
         *         "booking.confirmed",
         *         "booking.cancelled",
         *         "checkin.scanned"
         *       ],
         *       "id": "6f1d0c9a4b7e4e0f9a1c2b3d4e5f6a7b",
         *       "owner_id": "u42",
         *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
         *       "updated_at": "2030-06-01T09:15:00Z",
         *       "url": "https://crm.example.com/hooks/box-office"
         *     }
         */
        WebhookSecret: {
            /**
             * All Owners
             * @description An admin's endpoint: every organizer's facts
             */
            all_owners: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string;
            /**
             * Disabled Reason
             * @description `gone`: the endpoint answered 410; `failing`: every delivery failed for 3 days; `by_owner`: turned off with PATCH
             */
            disabled_reason: ("by_owner" | "gone" | "failing") | null;
            /** Enabled */
            enabled: boolean;
            /** Event Id */
            event_id: string | null;
            /** Event Types */
            event_types: string[];
            /** Id */
            id: string;
            /** Owner Id */
            owner_id: string;
            /**
             * Secret
             * @description `whsec_...`, for the receiver's Standard Webhooks library
             */
            secret: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Url */
            url: string;
        };
        /**
         * WebhookUpdate
         * @description The fields to change; `enabled: true` turns a disabled endpoint back on.
         * @example {
         *       "enabled": true
         *     }
         * @example {
         *       "event_types": [
         *         "booking.*"
         *       ]
         *     }
         */
        WebhookUpdate: {
            /** Description */
            description?: string | null;
            /** Enabled */
            enabled?: boolean | null;
            /** Event Types */
            event_types?: string[] | null;
            /** Url */
            url?: string | null;
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
    read_notifications_notifications_get: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                /** @description Only the unread ones */
                unread?: boolean;
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
                    "application/json": components["schemas"]["NotificationPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity has no notifications */
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
    mark_all_notifications_read_notifications_read_all_post: {
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
                    "application/json": components["schemas"]["ReadAllResult"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity has no notifications */
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    mark_notification_read_notifications__notification_id__read_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notification_id: string;
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
                    "application/json": components["schemas"]["NotificationPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity has no notifications */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no notification with this id */
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
    read_webhooks_webhooks_get: {
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
                    "application/json": components["schemas"]["WebhookPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_webhook_webhooks_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `event_id` names another organizer's event */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has as many webhooks as allowed */
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
            /** @description The body does not fit, or the URL may not be used (and why) */
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
    read_webhook_webhooks__webhook_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
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
                    "application/json": components["schemas"]["WebhookPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no webhook with this id */
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
    delete_webhook_webhooks__webhook_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
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
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no webhook with this id */
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
    update_webhook_webhooks__webhook_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no webhook with this id */
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
            /** @description The body does not fit, or the URL may not be used (and why) */
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
    read_webhook_deliveries_webhooks__webhook_id__deliveries_get: {
        parameters: {
            query?: {
                /** @description Only the deliveries in this state */
                status?: ("pending" | "delivered" | "failed") | null;
                /** @description At most this many, newest first */
                limit?: number;
                /** @description Skipped first: the next page is at offset + limit */
                offset?: number;
            };
            header?: never;
            path: {
                webhook_id: string;
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
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no webhook with this id */
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
    resend_webhook_delivery_webhooks__webhook_id__deliveries__delivery_id__resend_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such webhook of the caller's, or no such delivery of it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The webhook is disabled, or the delivery is still being attempted */
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
    rotate_webhook_secret_webhooks__webhook_id__rotate_secret_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
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
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no webhook with this id */
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
    send_webhook_test_webhooks__webhook_id__test_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins have webhooks */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no webhook with this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The webhook is disabled */
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
            /** @description Tested as often as allowed in the last 24 hours */
            429: {
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
}
